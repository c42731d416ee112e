import Hummingbird
import JSONSchema
import NIOCore
import ServiceLifecycle
import StewardCore
import StewardStore

/// The watch endpoint: Server-Sent Events of a namespace's changes.
///
/// Events after `from` are replayed from the event log first, then live events follow
/// (subscribed before the replay, so nothing falls between the two). A `: keepalive` comment
/// goes out every heartbeat interval. The stream ends when the client leaves, when the server
/// shuts down, or when the client falls too far behind; the client then reconnects with
/// `from=<last id>`.
///
/// A `from` above the current revision answers 400 naming the current revision (its changes do
/// not exist yet, and a stream from it would skip those up to it). A `from` below the
/// namespace's compacted revision (its older events were deleted by the
/// event retention) answers 410 `gone` before the stream starts. A replay that falls behind
/// compaction while it streams sends one `event: error` message carrying the same error
/// JSON and ends the stream, so that no event is skipped silently.
struct WatchController {
    typealias Context = StewardRequestContext

    let store: any Store
    let heartbeatInterval: Double
    /// How many events one read of the replay takes from the log.
    var replayPageSize = 500

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("namespaces/{ns}/watch", use: watch)
    }

    /// The SSE message that ends a stream with `error`: `event: error` and the error JSON.
    static func message(_ error: StewardError) -> ByteBuffer {
        message(fields: "event: error\n", data: error.json)
    }

    /// One SSE message for `event`.
    static func message(_ event: WatchEvent) -> ByteBuffer {
        message(fields: "id: \(event.revision)\nevent: \(event.type.rawValue)\n", data: event.json)
    }

    /// `fields` (whole lines), then `data` serialized on one `data:` line, then the blank line.
    private static func message(fields: String, data: JSON) -> ByteBuffer {
        var bytes = Array(fields.utf8)
        bytes.append(contentsOf: "data: ".utf8)
        bytes.append(contentsOf: data.serializedBytes())
        bytes.append(contentsOf: "\n\n".utf8)
        return ByteBuffer(bytes: bytes)
    }

    @Sendable func watch(_ request: Request, context: Context) async throws -> Response {
        let namespace = try context.parameter("ns")
        _ = try context.role(in: namespace, store: store)
        let from: Int64
        if let text = request.uri.queryParameters["from"].map(String.init), !text.isEmpty {
            guard let value = Int64(text), value >= 0 else {
                throw StewardError.invalidInput("'from' must be a revision (a whole number of 0 or more), got '\(text)'", field: "from")
            }
            // A revision that does not exist yet would skip, silently, the changes up to it.
            let current = try await store.currentRevision()
            guard value <= current else {
                throw StewardError.invalidInput(
                    "'from' is \(value), above the current revision \(current): watch from a revision a list or an event gave, or without 'from' to follow changes from now",
                    field: "from")
            }
            from = value
        } else {
            from = try await store.currentRevision()
        }
        let kind = request.uri.queryParameters["kind"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        let store = self.store
        let interval = heartbeatInterval
        let pageSize = replayPageSize
        // Subscribe before replaying so that no event falls between the replay and the live feed.
        let live = store.watchHub.subscribe(namespace: namespace)
        // The first page is read before answering, so that a compacted `from` gets 410.
        let firstPage = try await store.events(in: namespace, after: from, kind: kind, limit: pageSize)
        let body = ResponseBody { writer in
            var last = from
            try await writer.write(ByteBuffer(string: ": watching namespace \(namespace) from revision \(from)\n\n"))
            var page = firstPage
            while true {
                for event in page {
                    try await writer.write(Self.message(event))
                    last = event.revision
                }
                if page.count < pageSize { break }
                do {
                    page = try await store.events(in: namespace, after: last, kind: kind, limit: pageSize)
                } catch let error as StewardError where error.code == .gone {
                    try await writer.write(Self.message(error))
                    try await writer.finish(nil)
                    return
                }
            }
            // nil is a heartbeat.
            let (merged, feed) = AsyncStream.makeStream(of: WatchEvent?.self, bufferingPolicy: .unbounded)
            try await withTaskCancellationOrGracefulShutdownHandler {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for await event in live { feed.yield(event) }
                        feed.finish()
                    }
                    group.addTask {
                        while true {
                            try await Task.sleep(for: .seconds(interval))
                            feed.yield(nil)
                        }
                    }
                    for await item in merged {
                        if let event = item {
                            guard event.revision > last, kind == nil || event.kind == kind else { continue }
                            try await writer.write(Self.message(event))
                            last = event.revision
                        } else {
                            try await writer.write(ByteBuffer(string: ": keepalive\n\n"))
                        }
                    }
                    group.cancelAll()
                }
            } onCancelOrGracefulShutdown: {
                feed.finish()
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
            body: body)
    }
}
