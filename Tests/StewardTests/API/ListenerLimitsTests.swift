import Foundation
import HummingbirdTesting
import StewardCore
import StewardServer
import Testing

/// The listener over real sockets: slow and idle clients are closed, a flood of them leaves
/// `/healthz` answering, and streams are not cut.
@Suite("Listener: header and idle timeouts, the connection limit")
struct ListenerLimitsTests {
    /// A request head that never ends (no blank line).
    static let partialHead = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "

    /// A server with `configure`d listener limits; watch streams send a keep-alive every
    /// `heartbeat` seconds (a stream notices a client that left at its next write).
    static func server(heartbeat: Double = 600, _ configure: @escaping (inout ListenerConfiguration) -> Void) throws -> TestServer {
        try TestServer { configuration in
            configure(&configuration.listener)
            configuration.watchHeartbeatInterval = heartbeat
        }
    }

    /// `count` connections that each send a partial head and stop, opened `apart` from each other.
    static func slowConnections(_ count: Int, port: Int, apart: Duration = .zero) async throws -> [RawConnection] {
        var connections: [RawConnection] = []
        for _ in 0..<count {
            let connection = try await RawConnection.connect(port: port)
            // On a slow machine the first may already be closed by the header timeout.
            try? await connection.send(partialHead)
            connections.append(connection)
            if apart > .zero { try await Task.sleep(for: apart) }
        }
        return connections
    }

    /// `GET /healthz` on a new connection: its status line and how long the answer took.
    static func health(port: Int) async throws -> (statusLine: String, elapsed: Duration) {
        let start = ContinuousClock.now
        let connection = try await RawConnection.connect(port: port)
        try await connection.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        _ = await connection.waitForText("\r\n\r\nok", timeout: .seconds(30))
        let elapsed = ContinuousClock.now - start
        await connection.close()
        return (connection.text.components(separatedBy: "\r\n").first ?? "", elapsed)
    }

    @Test func partialHeadsAreClosedAfterTheHeaderTimeoutAndHealthAnswersMeanwhile() async throws {
        try await Self.server { $0.headerTimeout = .seconds(2); $0.maxConnections = 1000 }.run(.live) { api, _ in
            let port = try #require(api.client.port)
            let slow = try await Self.slowConnections(200, port: port)
            let (status, elapsed) = try await Self.health(port: port)
            #expect(status == "HTTP/1.1 200 OK")
            #expect(elapsed < .seconds(5), "healthz took \(elapsed) beside 200 slow connections")
            // Each slow connection is closed once its head is 2 s late (checked within 10 s).
            for connection in slow {
                #expect(await connection.waitForClose(timeout: .seconds(10)))
            }
        }
    }

    @Test func aByteNowAndThenDoesNotExtendTheHeaderTimeout() async throws {
        try await Self.server { $0.headerTimeout = .milliseconds(600) }.run(.live) { api, _ in
            let connection = try await RawConnection.connect(port: try #require(api.client.port))
            let start = ContinuousClock.now
            try? await connection.send("GET /healthz HTTP/1.1\r\n")
            // Dripping a byte every 100 ms for 20 s would keep the connection open throughout if
            // each byte restarted the clock; closed well before, it did not (a loaded machine
            // may notice the close late, hence the margin over 600 ms).
            while connection.isOpen, ContinuousClock.now - start < .seconds(20) {
                try? await connection.send("X")
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(!connection.isOpen)
            #expect(ContinuousClock.now - start < .seconds(15))
        }
    }

    @Test func idleKeptAliveConnectionsCloseAfterTheIdleTimeoutNotTheHeaderTimeout() async throws {
        try await Self.server { $0.headerTimeout = .seconds(1); $0.idleTimeout = .seconds(3) }.run(.live) { api, _ in
            let connection = try await RawConnection.connect(port: try #require(api.client.port))
            let sent = ContinuousClock.now
            try await connection.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            #expect(await connection.waitForText("\r\n\r\nok", timeout: .seconds(30)))
            #expect(await connection.waitForClose(timeout: .seconds(15)))
            // The response was written after the request was sent, and the idle timeout counts
            // from the response: the close cannot come sooner (the header timeout would be 1 s).
            #expect(ContinuousClock.now - sent >= .milliseconds(2950), "closed before the idle timeout")
        }
    }

    @Test func aWatchStreamOutlastsTheIdleTimeout() async throws {
        try await Self.server { $0.headerTimeout = .seconds(1); $0.idleTimeout = .milliseconds(500) }.run(.live) { api, components in
            let connection = try await RawConnection.connect(port: try #require(api.client.port))
            try await connection.send(Self.signedHead("GET", "/api/v1/namespaces/default/watch", as: components.owner))
            #expect(await connection.waitForText(": watching namespace default", timeout: .seconds(30)))
            try await Task.sleep(for: .milliseconds(2000))
            #expect(connection.isOpen, "the idle timeout cut a watch stream")
            await connection.close()
        }
    }

    @Test func overTheLimitWithEveryConnectionBusyANewOneGets503() async throws {
        try await Self.server(heartbeat: 0.1) { $0.maxConnections = 2 }.run(.live) { api, components in
            let port = try #require(api.client.port)
            var watches: [RawConnection] = []
            for _ in 0..<2 {
                let connection = try await RawConnection.connect(port: port)
                try await connection.send(Self.signedHead("GET", "/api/v1/namespaces/default/watch", as: components.owner))
                #expect(await connection.waitForText(": watching", timeout: .seconds(30)))
                watches.append(connection)
            }
            let refused = try await RawConnection.connect(port: port)
            #expect(await refused.waitForClose(timeout: .seconds(20)))
            #expect(refused.text.hasPrefix("HTTP/1.1 503 Service Unavailable\r\n"))
            #expect(refused.text.contains(#""code":"unavailable""#))
            #expect(watches.allSatisfy { $0.isOpen })
            // Once a stream ends, a new connection is served.
            await watches[0].close()
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await Self.health(port: port).statusLine == "HTTP/1.1 200 OK")
            await watches[1].close()
        }
    }

    @Test func atTheLimitANewConnectionClosesTheLongestWaitingSlowOne() async throws {
        try await Self.server { $0.maxConnections = 10; $0.headerTimeout = .seconds(30) }.run(.live) { api, _ in
            let port = try #require(api.client.port)
            let slow = try await Self.slowConnections(10, port: port, apart: .milliseconds(5))
            let (status, elapsed) = try await Self.health(port: port)
            #expect(status == "HTTP/1.1 200 OK")
            // Well within the 30 s header timeout: room was made, not waited for.
            #expect(elapsed < .seconds(10))
            #expect(await slow[0].waitForClose(timeout: .seconds(10)), "the oldest slow connection made room")
            #expect(slow[9].isOpen)
            for connection in slow { await connection.close() }
        }
    }

    /// A signed request head for `path` (no body).
    static func signedHead(_ method: String, _ path: String, as identity: Identity) -> String {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        for (name, value) in RequestSigning.headers(for: identity, method: method, pathAndQuery: path, body: [], now: Date()) {
            head += "\(name): \(value)\r\n"
        }
        return head + "\r\n"
    }
}
