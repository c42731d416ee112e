import AsyncHTTPClient
import Foundation
import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// etcd, the control-plane store that Kubernetes runs on, as the API benchmark's peer: a
/// single-member cluster started on loopback with a temporary data directory on the same disk
/// as Steward's, driven through its HTTP/JSON gateway (`/v3/kv/put`, `/v3/kv/range`) by the same
/// load generator and HTTP client as Steward.
///
/// etcd acknowledges a put once its write-ahead log is fsynced (batched across concurrent
/// requests, as Steward's group commit is), so both sides answer only after the write is durable.
final class EtcdPeer: @unchecked Sendable {
    let process: Process
    let url: String
    private let http: HTTPClient

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Where Debian's `etcd-server` installs the binary; `ETCD` overrides it.
    static var executable: String {
        ProcessInfo.processInfo.environment["ETCD"] ?? "/usr/bin/etcd"
    }

    private init(process: Process, url: String, connections: Int) {
        self.process = process
        self.url = url
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
        configuration.httpVersion = .http1Only
        self.http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Starts etcd with its data under `directory` and waits until `/health` answers.
    static func start(directory: String, connections: Int) async throws -> EtcdPeer {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw Failure(
                description: "etcd is not installed at \(executable) (install it with: apt-get install etcd-server, or set ETCD to its path)")
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let clientPort = Int.random(in: 40_001...50_000)
        let peerPort = clientPort + 10_000
        let url = "http://127.0.0.1:\(clientPort)"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [
            "--name", "bench", "--data-dir", directory + "/data",
            "--listen-client-urls", url, "--advertise-client-urls", url,
            "--listen-peer-urls", "http://127.0.0.1:\(peerPort)",
            "--initial-advertise-peer-urls", "http://127.0.0.1:\(peerPort)",
            "--initial-cluster", "bench=http://127.0.0.1:\(peerPort)",
            "--log-level", "warn",
        ]
        let log = directory + "/etcd.log"
        try process.run(loggingTo: log)
        let peer = EtcdPeer(process: process, url: url, connections: connections)
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            guard process.isRunning else {
                throw Failure(description: "etcd exited: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
            }
            if (try? await peer.request("GET", "/health", body: nil)) == 200 { return peer }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        try? await peer.stop()
        throw Failure(description: "etcd did not answer on \(url) within 30 s (its log: \(log))")
    }

    /// `PUT key value`: answers once the write is durable.
    func put(key: String, value: [UInt8]) async throws {
        let body = #"{"key":""# + Self.base64(Array(key.utf8)) + #"","value":""# + Self.base64(value) + #""}"#
        let status = try await request("POST", "/v3/kv/put", body: Array(body.utf8))
        guard status == 200 else { throw Failure(description: "etcd put answered \(status)") }
    }

    /// `GET key` (a linearizable range read of one key), body not decoded.
    func get(key: String) async throws {
        let body = #"{"key":""# + Self.base64(Array(key.utf8)) + #""}"#
        let status = try await request("POST", "/v3/kv/range", body: Array(body.utf8))
        guard status == 200 else { throw Failure(description: "etcd range answered \(status)") }
    }

    /// Sends one request and returns its status after reading the whole body.
    private func request(_ method: String, _ path: String, body: [UInt8]?) async throws -> Int {
        var request = HTTPClientRequest(url: url + path)
        request.method = .init(rawValue: method)
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await http.execute(request, timeout: .seconds(30))
        _ = try await response.body.collect(upTo: 16 << 20)
        return Int(response.status.code)
    }

    /// Stops etcd (SIGTERM, SIGKILL after 5 s) and closes the client.
    func stop() async throws {
        if process.isRunning {
            process.terminate()
            let deadline = Date().addingTimeInterval(5)
            while process.isRunning && Date() < deadline { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        try await http.shutdown()
    }

    private static func base64(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }
}
