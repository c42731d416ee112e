import AsyncHTTPClient
import JSONSchema
import NIOCore
import StewardCore

/// The events of a watch, in revision order, as an `AsyncSequence`.
///
/// The sequence ends when the server closes the stream and throws ``StewardError`` when the
/// stream breaks or an event cannot be read. When the server ends the stream with an error
/// message (`event: error`), it throws that error: code `gone` when the watch fell behind the
/// event log's compaction (list again and watch from the list's revision). Cancel the
/// consuming task to stop watching.
public struct WatchStream: AsyncSequence, Sendable {
    public typealias Element = WatchEvent

    let body: HTTPClientResponse.Body

    public struct AsyncIterator: AsyncIteratorProtocol {
        var chunks: HTTPClientResponse.Body.AsyncIterator
        var parser = ServerSentEventParser()
        var pending: [ServerSentEvent] = []
        var pendingIndex = 0

        public mutating func next() async throws -> WatchEvent? {
            while true {
                while pendingIndex < pending.count {
                    let event = pending[pendingIndex]
                    pendingIndex += 1
                    let json: JSON
                    do {
                        json = try JSONParser.parse(Array(event.data.utf8))
                    } catch {
                        throw StewardError(.internal, "a watch event is not JSON (\(error.description))")
                    }
                    if event.event == "error" {
                        throw StewardError(json: json)
                            ?? StewardError(.internal, "the server ended the watch with an error: \(event.data)")
                    }
                    return try WatchEvent(json: json)
                }
                pending.removeAll(keepingCapacity: true)
                pendingIndex = 0
                let chunk: ByteBuffer?
                do {
                    chunk = try await chunks.next()
                } catch {
                    throw StewardError(.unavailable, "the watch stream broke (\(error))")
                }
                guard let chunk else { return nil }
                pending = parser.consume(chunk.readableBytesView)
            }
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(chunks: body.makeAsyncIterator())
    }
}
