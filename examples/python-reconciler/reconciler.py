#!/usr/bin/env python3
"""A Steward reconciler in Python: the standard library plus `cryptography` for Ed25519.

It registers as an executor, long-polls for processes, heartbeats while it works, writes the
service's status (observedGeneration, a Ready condition, instances) and closes each process.
It "runs" nothing: a real reconciler would start containers or processes in `reconcile`.

    pip install cryptography
    STEWARD_SERVER=http://127.0.0.1:7700 STEWARD_PRVKEY=<hex> \\
        python3 reconciler.py --type python-reconciler --name py-1

See docs/reconciler-protocol.md for the protocol.
"""

import argparse
import base64
import hashlib
import json
import os
import secrets
import signal
import socket
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timezone

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat


class StewardError(Exception):
    """An error answer of the server: HTTP status, code and message."""

    def __init__(self, status, code, message, field=None):
        super().__init__(f"{message} ({code}, HTTP {status})")
        self.status = status
        self.code = code
        self.message = message
        self.field = field


class Client:
    """Signs requests as described in docs/reconciler-protocol.md."""

    def __init__(self, server, private_key_hex, namespace="default"):
        self.server = server.rstrip("/")
        self.key = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(private_key_hex.strip()))
        self.identity = self.key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()
        self.namespace = namespace

    def path(self, *segments, query=None):
        path = "/api/v1/" + "/".join(urllib.parse.quote(s, safe="") for s in segments)
        if query:
            path += "?" + urllib.parse.urlencode(query)
        return path

    def request(self, method, path, body=None, timeout=30):
        try:
            return self.send(method, path, body, timeout)
        except StewardError as error:
            if error.status != 401 or error.field != "Steward-Timestamp":
                raise
        # Signed before the server's last restart: sign again in the next second, once.
        time.sleep(1 - time.time() % 1)
        return self.send(method, path, body, timeout)

    def send(self, method, path, body, timeout):
        data = b"" if body is None else json.dumps(body).encode()
        timestamp = str(int(time.time()))
        nonce = secrets.token_hex(16)
        digest = hashlib.sha256(data).hexdigest()
        canonical = "\n".join(["STEWARD-ED25519-V1", method, path, timestamp, nonce, digest])
        headers = {
            "Steward-Id": self.identity,
            "Steward-Timestamp": timestamp,
            "Steward-Nonce": nonce,
            "Steward-Content-SHA256": digest,
            "Steward-Signature": base64.b64encode(self.key.sign(canonical.encode())).decode(),
            "Accept": "application/json",
        }
        if body is not None:
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(self.server + path, data=data if body is not None else None,
                                     method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as response:
                payload = response.read()
                return response.status, (json.loads(payload) if payload else None)
        except urllib.error.HTTPError as error:
            payload = error.read()
            try:
                detail = json.loads(payload)["error"]
                raise StewardError(error.code, detail.get("code", "?"), detail.get("message", ""),
                                   detail.get("field")) from None
            except (ValueError, KeyError, TypeError):
                raise StewardError(error.code, "http", payload.decode(errors="replace")) from None


def now_rfc3339():
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def reconcile(process):
    """Returns the status for the service (None for a delete). Raise to report a failure."""
    reconciliation = process["functionSpec"]["reconciliation"]
    action, new = reconciliation["action"], reconciliation["new"]
    if action == "delete":
        return None  # tear down what runs for reconciliation["old"] here
    spec = new.get("spec", {})
    if spec.get("fail"):
        raise RuntimeError(f"asked to fail: {spec['fail']}")
    replicas = int(spec.get("replicas", 1))
    now = now_rfc3339()
    return {
        "observedGeneration": new["metadata"]["generation"],
        "runningInstances": replicas,
        "totalInstances": replicas,
        "lastUpdated": now,
        "instances": [
            {"name": f"{new['metadata']['name']}-{i}", "type": "python", "state": "running", "lastCheck": now}
            for i in range(replicas)
        ],
        "conditions": [{"type": "Ready", "status": "True", "reason": "Reconciled",
                        "message": f"{action} handled by python", "lastTransitionTime": now}],
    }


class Executor:
    def __init__(self, client, name, executor_type, node, poll_timeout=20, heartbeat_interval=5.0, log=print):
        self.client, self.name, self.type, self.node = client, name, executor_type, node
        self.poll_timeout, self.heartbeat_interval, self.log = poll_timeout, heartbeat_interval, log
        self.stopping = threading.Event()

    def register(self):
        failures = 0
        while not self.stopping.is_set():
            try:
                self.client.request("POST", self.client.path("namespaces", self.client.namespace, "executors"),
                                    {"name": self.name, "executorType": self.type, "node": self.node})
                self.log(f"executor {self.name} registered for type {self.type}")
                return
            except (StewardError, OSError) as error:
                failures += 1
                self.log(f"register failed (retrying): {error}")
                self.stopping.wait(min(5.0, 0.1 * 2 ** failures))

    def run(self):
        self.register()
        failures = 0
        while not self.stopping.is_set():
            try:
                path = self.client.path("namespaces", self.client.namespace, "executors", self.name, "assign",
                                        query={"timeout": self.poll_timeout})
                status, process = self.client.request("POST", path, timeout=self.poll_timeout + 30)
                failures = 0
                if status == 200 and process:
                    self.handle(process)
            except StewardError as error:
                if error.status == 404:
                    self.register()
                else:
                    failures += 1
                    self.log(f"assign failed (retrying): {error}")
                    self.stopping.wait(min(5.0, 0.1 * 2 ** failures))
            except OSError as error:  # server down or restarting
                failures += 1
                self.log(f"server unreachable (retrying): {error}")
                self.stopping.wait(min(5.0, 0.1 * 2 ** failures))

    def handle(self, process):
        pid, service = process["id"], process["service"]["name"]
        action = process["functionSpec"]["reconciliation"]["action"]
        self.log(f"process {pid} {action} service/{service} attempt {process['attempt']}")
        lost = threading.Event()
        done = threading.Event()

        def heartbeat():
            while not done.wait(self.heartbeat_interval):
                try:
                    self.client.request("POST", self.client.path("namespaces", self.client.namespace, "processes",
                                                                  pid, "heartbeat"), {"executor": self.name})
                except StewardError as error:
                    if error.status in (403, 404, 409):
                        self.log(f"process {pid} lost: {error.message}")
                        lost.set()
                        return
                except OSError:
                    pass  # keep working; the server renews leases when it starts

        beat = threading.Thread(target=heartbeat, daemon=True)
        beat.start()
        error = None
        try:
            status = reconcile(process)
            if status is not None and not lost.is_set():
                self.retry(lambda: self.client.request(
                    "PUT", self.client.path("namespaces", self.client.namespace, "services", service, "status"),
                    {"status": status}))
        except Exception as failure:  # the reconciler's error goes to the server
            error = str(failure) or type(failure).__name__
        finally:
            done.set()
            beat.join()
        if lost.is_set():
            return
        body = {"executor": self.name, "result": "success"}
        if error is not None:
            body.update(result="failure", error=error)
        try:
            self.retry(lambda: self.client.request(
                "POST", self.client.path("namespaces", self.client.namespace, "processes", pid, "close"), body))
            self.log(f"process {pid} closed: {'success' if error is None else 'failure: ' + error}")
        except StewardError as failure:
            self.log(f"process {pid} lost: {failure.message}")

    def retry(self, call, attempts=120):
        for attempt in range(attempts):
            try:
                return call()
            except OSError:
                if attempt == attempts - 1:
                    raise
                time.sleep(0.5)


def main():
    parser = argparse.ArgumentParser(description="A Steward reconciler in Python.")
    parser.add_argument("--type", required=True, help="the executor type (the definitions' handler.executorType)")
    parser.add_argument("--name", required=True, help="the executor name, unique in the namespace")
    parser.add_argument("--node", default=socket.gethostname())
    parser.add_argument("--namespace", default=os.environ.get("STEWARD_NAMESPACE", "default"))
    parser.add_argument("--server", default=os.environ.get("STEWARD_SERVER", "http://127.0.0.1:7700"))
    parser.add_argument("--poll-timeout", type=int, default=20)
    parser.add_argument("--heartbeat", type=float, default=5.0)
    args = parser.parse_args()
    key = os.environ.get("STEWARD_PRVKEY")
    if not key and os.environ.get("STEWARD_PRVKEY_FILE"):
        with open(os.environ["STEWARD_PRVKEY_FILE"]) as handle:
            key = handle.read()
    if not key:
        sys.exit("Error: set STEWARD_PRVKEY (hex private key) or STEWARD_PRVKEY_FILE")
    client = Client(args.server, key, args.namespace)
    executor = Executor(client, args.name, args.type, args.node, args.poll_timeout, args.heartbeat,
                        log=lambda line: print(line, flush=True))
    # Exit on SIGTERM even when started with SIGTERM ignored; a process in flight is picked up by
    # another executor once its lease runs out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        executor.run()
    except KeyboardInterrupt:
        executor.stopping.set()


if __name__ == "__main__":
    main()
