import Foundation
import Hummingbird
import NIOCore
import ServiceLifecycle
import StewardCore
import StewardStore

/// The logs of a service's instances, as plain text streamed while it is read:
/// `GET /api/v1/namespaces/{ns}/services/{name}/logs?instance=&previous=&tail=&since=&timestamps=&follow=`.
///
/// Any member of the namespace may read them. The service must exist (404). Parameters are
/// checked before anything is read (400 naming the parameter, see ``LogQuery/init(parameter:)``),
/// and so is the instance (404 naming it and the known ones). A server without a supervisor
/// (no ``InstanceLogSource``) answers 503. With `follow=true` the response goes on as the logs
/// grow, until the client closes the connection or the server shuts down.
struct LogsController {
    typealias Context = StewardRequestContext

    let store: any Store
    let source: (any InstanceLogSource)?

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("namespaces/{ns}/services/{name}/logs", use: logs)
    }

    @Sendable func logs(_ request: Request, context: Context) async throws -> Response {
        let namespace = try context.parameter("ns")
        let name = try context.parameter("name")
        _ = try context.role(in: namespace, store: store)
        let parameters = request.uri.queryParameters
        let query = try LogQuery(parameter: { parameters[Substring($0)].map(String.init) })
        guard try await store.serviceJSON(named: name, in: namespace) != nil else {
            throw StewardError.notFound("service '\(name)' not found in namespace '\(namespace)'")
        }
        guard let source else {
            throw StewardError(
                .unavailable,
                "this server runs no supervisor, so it keeps no instance logs: read them on the node that runs the service")
        }
        let stream = try await source.read(namespace: namespace, service: name, query: query)
        let body = ResponseBody { writer in
            let stopping = StopFlag()
            try await withGracefulShutdownHandler {
                // An empty chunk (a heartbeat while a followed log is quiet) writes no bytes, but
                // fails once the client has closed the connection, which ends the reading.
                for try await chunk in stream {
                    if stopping.isSet { break }
                    try await writer.write(ByteBuffer(bytes: chunk))
                }
            } onGracefulShutdown: {
                stopping.set()
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-cache"],
            body: body)
    }
}

extension LogsController {
    /// Set once when the server shuts down gracefully: a followed stream ends at its next chunk
    /// (a heartbeat comes every second).
    final class StopFlag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false

        var isSet: Bool { lock.withLock { value } }
        func set() { lock.withLock { value = true } }
    }
}
