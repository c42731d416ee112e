import Foundation
import HummingbirdTesting
import StewardServer
import Testing

/// The body limit over a real socket, at exactly the documented 1,048,576 bytes, for bodies that
/// declare their length and for chunked ones.
@Suite("Body limit: 413 above 1,048,576 bytes, with Content-Length or chunked")
struct BodyLimitTests {
    static let limit = ServerConfiguration.defaultMaxBodySize
    static let path = "/api/v1/namespaces/default/services"

    /// Sends an unsigned POST with a body of `size` bytes and returns the status line and the
    /// answer. A body within the limit reaches the signature check (401); above it, 413.
    static func post(size: Int, chunked: Bool, port: Int) async throws -> String {
        let connection = try await RawConnection.connect(port: port)
        let body = [UInt8](repeating: UInt8(ascii: " "), count: size)
        if chunked {
            try await connection.send("POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
            // Chunks of 16,000 bytes, as a streaming client might send them.
            var offset = 0
            while offset < size, connection.isOpen {
                let chunk = body[offset..<min(size, offset + 16_000)]
                try? await connection.send(Array((String(chunk.count, radix: 16) + "\r\n").utf8) + chunk + Array("\r\n".utf8))
                offset += chunk.count
            }
            try? await connection.send("0\r\n\r\n")
        } else {
            // The server may answer and close before it has read the whole body.
            try? await connection.send(
                Array("POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(size)\r\nConnection: close\r\n\r\n".utf8) + body)
        }
        _ = await connection.waitForClose(timeout: .seconds(10))
        await connection.close()
        return connection.text
    }

    @Test(arguments: [false, true])
    func theLimitIsExactlyTheDocumentedOne(chunked: Bool) async throws {
        try await TestServer().run(.live) { api, _ in
            let port = try #require(api.client.port)
            let within = try await Self.post(size: Self.limit, chunked: chunked, port: port)
            #expect(within.hasPrefix("HTTP/1.1 401 "), "1,048,576 bytes (chunked: \(chunked)): \(within.prefix(300))")
            let above = try await Self.post(size: Self.limit + 1, chunked: chunked, port: port)
            #expect(above.hasPrefix("HTTP/1.1 413 "), "1,048,577 bytes (chunked: \(chunked)): \(above.prefix(300))")
            #expect(above.contains(#""code":"too_large""#))
            #expect(above.contains("the server accepts at most 1048576") || above.contains("more than 1048576 bytes"))
            // The server is still up.
            let health = try await api.unsigned(.get, "/healthz")
            #expect(health.status == .ok)
        }
    }
}
