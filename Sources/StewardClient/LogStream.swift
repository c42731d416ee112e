import AsyncHTTPClient
import NIOCore
import StewardCore

/// The bytes of a logs response (``StewardClient/logs(service:query:namespace:)``) as they
/// arrive, in chunks of any size (a chunk may end within a line).
///
/// The sequence ends when the server ends the response, and throws ``StewardError``
/// `unavailable` when the connection breaks. Cancel the consuming task to stop following.
public struct LogStream: AsyncSequence, Sendable {
    public typealias Element = [UInt8]

    let body: HTTPClientResponse.Body

    public struct AsyncIterator: AsyncIteratorProtocol {
        var chunks: HTTPClientResponse.Body.AsyncIterator

        public mutating func next() async throws -> [UInt8]? {
            while true {
                let chunk: ByteBuffer?
                do {
                    chunk = try await chunks.next()
                } catch {
                    throw StewardError(.unavailable, "the log stream broke (\(error))")
                }
                guard let chunk else { return nil }
                if chunk.readableBytes > 0 { return Array(chunk.readableBytesView) }
            }
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(chunks: body.makeAsyncIterator())
    }
}
