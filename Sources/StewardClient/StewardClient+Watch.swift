import AsyncHTTPClient
import JSONSchema
import NIOCore
import StewardCore

extension StewardClient {
    /// Follows the changes of a namespace: first the events after revision `from` that the
    /// log holds, then live ones as they happen. Pass the ``ServiceList/revision`` of a list to
    /// see every change after it.
    ///
    /// ```swift
    /// for try await event in try await client.watch(from: list.revision, kind: "Database") {
    ///     print(event.type, event.name)
    /// }
    /// ```
    public func watch(from revision: Int64 = 0, kind: String? = nil, namespace: String? = nil) async throws(StewardError)
        -> WatchStream
    {
        let path = PathBuilder.api(
            ["namespaces", namespaceOrDefault(namespace), "watch"], query: [("from", String(revision)), ("kind", kind)])
        /// The stream, or the error response that refused it.
        enum Opened {
            case stream(HTTPClientResponse.Body)
            case refused(RawResponse)
        }
        let opened = try await Self.retryingOnceIfOlderThanRestart(
            { () async throws(StewardError) -> Opened in
                let request = makeRequest(.get, path, body: [], signed: true, accept: "text/event-stream")
                let response: HTTPClientResponse
                do {
                    response = try await httpClient.execute(request, timeout: .nanoseconds(configuration.requestTimeout.nanoseconds))
                } catch {
                    throw transportError(error)
                }
                guard response.status.code >= 400 else { return .stream(response.body) }
                let body = (try? await response.body.collect(upTo: 1024 * 1024)).map { Array($0.readableBytesView) } ?? []
                return .refused(RawResponse(status: Int(response.status.code), body: body))
            },
            refusal: { if case .refused(let response) = $0 { response } else { nil } })
        switch opened {
        case .stream(let body): return WatchStream(body: body)
        case .refused(let response): throw Self.decodeError(status: response.status, body: response.body)
        }
    }
}
