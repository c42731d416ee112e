"""Property-based tests of the HTTP API against docs/openapi.yaml, with schemathesis.

Starts the built `steward server` (STEWARD_BINARY, else .build/debug/steward) on a free port
with a temporary data directory, signs every generated request with the owner key as
docs/reconciler-protocol.md describes, and fails on any 5xx answer or when the server dies.

    python3 -m pip install schemathesis cryptography
    swift build && python3 -m pytest -q Tests/APIFuzz

STEWARD_FUZZ_EXAMPLES sets the examples per operation (default 25).
"""

import base64
import collections
import hashlib
import os
import re
import secrets
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import requests
import schemathesis
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = int(os.environ.get("STEWARD_FUZZ_EXAMPLES", "25"))
EXECUTOR = "fuzz-executor"
STATUSES = collections.Counter()

schema = schemathesis.openapi.from_path(str(ROOT / "docs" / "openapi.yaml"))


class StewardSigning(requests.auth.AuthBase):
    """Signs a prepared request: STEWARD-ED25519-V1, method, path and query, timestamp, nonce
    and the SHA-256 of the body as sent, joined by newlines."""

    def __init__(self, private_key_hex):
        self.key = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(private_key_hex.strip()))
        self.identity = self.key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()

    def __call__(self, request):
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode()
        timestamp = str(int(time.time()))
        nonce = secrets.token_hex(16)
        digest = hashlib.sha256(body).hexdigest()
        canonical = "\n".join(["STEWARD-ED25519-V1", request.method, request.path_url, timestamp, nonce, digest])
        request.headers["Steward-Id"] = self.identity
        request.headers["Steward-Timestamp"] = timestamp
        request.headers["Steward-Nonce"] = nonce
        request.headers["Steward-Content-SHA256"] = digest
        request.headers["Steward-Signature"] = base64.b64encode(self.key.sign(canonical.encode())).decode()
        return request


class Server:
    """A `steward server` process on a temporary data directory."""

    def __init__(self):
        binary = os.environ.get("STEWARD_BINARY") or str(ROOT / ".build" / "debug" / "steward")
        if not os.path.exists(binary):
            pytest.fail(f"{binary} does not exist: run `swift build` first or set STEWARD_BINARY")
        self.directory = tempfile.mkdtemp(prefix="steward-fuzz-")
        env = {k: v for k, v in os.environ.items() if not k.startswith("STEWARD_")}
        env["HOME"] = self.directory
        self.log = open(os.path.join(self.directory, "server.log"), "w+")
        self.process = subprocess.Popen(
            [binary, "server", "--home", os.path.join(self.directory, "home"), "--port", "0"],
            stdout=subprocess.PIPE, stderr=self.log, text=True, env=env, cwd=self.directory)
        line = self.process.stdout.readline()
        match = re.search(r"listening on (http://\S+)", line)
        if not match:
            self.stop()
            pytest.fail(f"steward server did not start: {line!r}")
        self.url = match.group(1)
        key_path = self.process.stdout.readline().split(": ", 1)[1].strip()
        self.signing = StewardSigning(Path(key_path).read_text())

    def output(self):
        self.log.flush()
        self.log.seek(0)
        return self.log.read()[-4000:]

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        shutil.rmtree(self.directory, ignore_errors=True)


def ensure_objects(server):
    """Something to find: a kind, a service and an executor of the owner's (re-created when a
    generated request removed them)."""
    session = server.session
    base = server.url + "/api/v1/namespaces/default"
    session.post(base + "/definitions", json={
        "metadata": {"name": "webs.example.io"},
        "spec": {"names": {"kind": "Web"}, "handler": {"executorType": "fuzz"},
                 "schema": {"type": "object", "properties": {"replicas": {"type": "integer", "minimum": 0}}}}})
    session.post(base + "/services", json={"kind": "Web", "metadata": {"name": "web"}, "spec": {"replicas": 1}})
    session.post(base + "/executors", json={"name": EXECUTOR, "executorType": "fuzz"})


@pytest.fixture(scope="session")
def server():
    server = Server()
    server.session = requests.Session()
    server.session.auth = server.signing
    ensure_objects(server)
    yield server
    alive = server.process.poll() is None
    output = server.output()
    server.stop()
    print(f"\nAPI fuzzing: {sum(STATUSES.values())} requests, statuses {dict(sorted(STATUSES.items()))}")
    assert alive, f"steward server died during the run:\n{output}"
    # Signing works: most requests get past the signature check.
    assert STATUSES[401] < sum(STATUSES.values()) / 2, f"too many 401s: {dict(STATUSES)}"


def aim(case):
    """Most requests go to namespace `default` and to objects that exist, so that they get past
    the lookups and reach the code that reads their input."""
    parameters = case.path_parameters
    if not parameters:
        return
    if "ns" in parameters:
        parameters["ns"] = "default"
    path = case.operation.path
    if path.startswith("/api/v1/namespaces/{ns}/executors/{name}"):
        parameters["name"] = EXECUTOR
    elif path.startswith("/api/v1/namespaces/{ns}/services/{name}"):
        parameters["name"] = "web"


# Answers that stream or wait by design: the client stops reading after its timeout.
LONG_ANSWERS = ("/api/v1/namespaces/{ns}/watch", "/api/v1/namespaces/{ns}/executors/{name}/assign")


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_no_input_makes_the_server_fail(case, server):
    aim(case)
    if "{name}" in case.operation.path and case.operation.path.startswith(("/api/v1/namespaces/{ns}/executors", "/api/v1/namespaces/{ns}/services")):
        ensure_objects(server)
    try:
        response = case.call(base_url=server.url, auth=server.signing, timeout=(5, 3))
    except requests.exceptions.ReadTimeout:
        assert case.operation.path in LONG_ANSWERS, f"{case.method} {case.formatted_path} did not answer within 3 s"
        return
    except requests.exceptions.ConnectionError as error:
        pytest.fail(f"{case.method} {case.formatted_path}: the server is gone ({error})\n{server.output()}")
    STATUSES[response.status_code] += 1
    assert response.status_code < 500, (
        f"{case.method} {response.request.path_url} -> {response.status_code} {response.text[:500]}")
