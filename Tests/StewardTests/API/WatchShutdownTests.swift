import Foundation
import JSONSchema
import StewardClient
import StewardCore
import StewardServer
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("Watch streams and shutdown")
struct WatchShutdownTests {
    @Test(.timeLimit(.minutes(1)))
    func openWatchDoesNotHoldUpGracefulShutdown() async throws {
        let holder = ClientHolder()
        try await TestServer().run(.live) { api, components in
            let port = try #require(api.client.port)
            let client = StewardClient(
                configuration: .init(serverURL: "http://127.0.0.1:\(port)", identity: components.owner), maxConnections: 2)
            holder.client = client
            _ = try await client.createDefinition(Fixtures.schemalessDefinition(kind: "Web", name: "webs.example.io"))
            let stream = try await client.watch(from: 0)
            var iterator = stream.makeAsyncIterator()
            #expect(try await iterator.next()?.objectType == .definition)
            holder.iterator = iterator
            holder.leftAt = Date()
            // The client waits for the stream's end meanwhile.
            holder.ending = Task { [holder] in
                guard var iterator = holder.iterator else { return (false, Date()) }
                let next = try? await iterator.next()
                return (next == nil, Date())
            }
            // Leaving the closure shuts the application down with the stream still open.
        }
        // The server ended the stream at shutdown, so the client saw its end, and promptly: a
        // stream that held shutdown up would end at its next heartbeat (15 s) or never. (The
        // time is taken when the client sees the end, not after the store closed.)
        let ending = try #require(holder.ending)
        let (ended, endedAt) = await ending.value
        #expect(ended)
        #expect(endedAt.timeIntervalSince(try #require(holder.leftAt)) < 10)
        try await holder.client?.shutdown()
    }

    @Test func changesArriveBetweenHeartbeats() async throws {
        try await TestServer { $0.watchHeartbeatInterval = 0.1 }.run(.live) { api, components in
            let port = try #require(api.client.port)
            let client = StewardClient(
                configuration: .init(serverURL: "http://127.0.0.1:\(port)", identity: components.owner), maxConnections: 2)
            do {
                _ = try await client.createDefinition(Fixtures.schemalessDefinition(kind: "Web", name: "webs.example.io"))
                let stream = try await client.watch(from: try await client.services().revision)
                var iterator = stream.makeAsyncIterator()
                // Several heartbeats go by before the change; the stream stays open and delivers it.
                try await Task.sleep(for: .milliseconds(500))
                _ = try await client.createService(["kind": "Web", "metadata": ["name": "late"], "spec": [:]])
                let event = try await iterator.next()
                #expect(event?.name == "late")
                #expect(event?.type == .added)
            } catch {
                try await client.shutdown()
                throw error
            }
            try await client.shutdown()
        }
    }
}

extension WatchShutdownTests {
    @Test func heartbeatCommentsAreSentOnAnIdleStream() async throws {
        try await TestServer { $0.watchHeartbeatInterval = 0.1 }.run(.live) { api, components in
            let port = try #require(api.client.port)
            let path = "/api/v1/namespaces/default/watch"
            var request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
            for (name, value) in RequestSigning.headers(for: components.owner, method: "GET", pathAndQuery: path, body: [], now: Date()) {
                request += "\(name): \(value)\r\n"
            }
            request += "\r\n"
            let bytes = request
            // On a thread of its own: a blocking read on the cooperative pool could starve the
            // in-process server it waits for.
            let received = try await Blocking.run {
                try RawSocket.exchange(port: port, request: bytes, readFor: 20) {
                    $0.components(separatedBy: ": keepalive").count >= 3
                }
            }
            #expect(received.hasPrefix("HTTP/1.1 200"))
            #expect(received.contains("text/event-stream"))
            #expect(received.components(separatedBy: ": keepalive").count >= 3)
        }
    }
}

/// A blocking TCP exchange on 127.0.0.1, to see a stream's raw bytes.
enum RawSocket {
    struct Failure: Error {}

    /// Sends `request` and reads until `done` holds for what arrived, or `seconds` pass.
    static func exchange(port: Int, request: String, readFor seconds: Double, until done: (String) -> Bool) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure() }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw Failure() }
        let bytes = Array(request.utf8)
        guard bytes.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, 0) }) == bytes.count else { throw Failure() }
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var received = [UInt8]()
        let deadline = Date().addingTimeInterval(seconds)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < deadline {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                received.append(contentsOf: buffer[0..<n])
                if done(String(decoding: received, as: UTF8.self)) { break }
            } else if n == 0 {
                break
            }
        }
        return String(decoding: received, as: UTF8.self)
    }
}

/// Carries the client and the open stream out of the server's lifetime.
private final class ClientHolder: @unchecked Sendable {
    var client: StewardClient?
    var iterator: WatchStream.AsyncIterator?
    var leftAt: Date?
    var ending: Task<(Bool, Date), Never>?
}
