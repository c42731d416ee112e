import AsyncHTTPClient
import NIOCore
import StewardCore

extension StewardClient {
    /// The logs of a service's instances as they are read (see ``LogQuery``): chunks of bytes,
    /// several instances' lines prefixed with their replica's name (`web-1 | `). With
    /// `query.follow` the stream goes on as the logs grow; cancel the consuming task to stop.
    ///
    /// ```swift
    /// for try await chunk in try await client.logs(service: "web", query: LogQuery(tail: 100, follow: true)) {
    ///     FileHandle.standardOutput.write(Data(chunk))
    /// }
    /// ```
    ///
    /// - Throws: ``StewardError`` before the stream starts: `notFound` for a missing service, an
    ///   unknown instance or a missing previous instance, `invalidInput` for a bad query,
    ///   `unavailable` from a server that runs no supervisor.
    public func logs(service: String, query: LogQuery = LogQuery(), namespace: String? = nil) async throws(StewardError)
        -> LogStream
    {
        let path = PathBuilder.api(
            ["namespaces", namespaceOrDefault(namespace), "services", service, "logs"], query: query.queryItems)
        /// The stream, or the error response that refused it.
        enum Opened {
            case stream(HTTPClientResponse.Body)
            case refused(RawResponse)
        }
        let opened = try await Self.retryingOnceIfOlderThanRestart(
            { () async throws(StewardError) -> Opened in
                let request = makeRequest(.get, path, body: [], signed: true, accept: "text/plain")
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
        case .stream(let body): return LogStream(body: body)
        case .refused(let response): throw Self.decodeError(status: response.status, body: response.body)
        }
    }
}
