import AsyncHTTPClient
import Foundation
import JSONSchema
import NIOCore
import NIOHTTP1
import StewardCore

extension StewardClient {
    /// An HTTP method of the API.
    enum Method: String, Sendable {
        case get = "GET", post = "POST", put = "PUT", delete = "DELETE"

        var nio: HTTPMethod { HTTPMethod(rawValue: rawValue) }
    }

    /// A response: status and body bytes.
    struct RawResponse: Sendable {
        var status: Int
        var body: [UInt8]
    }

    /// Builds a request for `pathAndQuery`, signed when `signed` is true.
    func makeRequest(_ method: Method, _ pathAndQuery: String, body: [UInt8], signed: Bool, accept: String = "application/json")
        -> HTTPClientRequest
    {
        var request = HTTPClientRequest(url: configuration.serverURL + pathAndQuery)
        request.method = method.nio
        request.headers.add(name: "Accept", value: accept)
        request.headers.add(name: "User-Agent", value: "steward-client")
        if !body.isEmpty || method == .post || method == .put {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        if signed {
            let headers = RequestSigning.headers(
                for: configuration.identity, method: method.rawValue, pathAndQuery: pathAndQuery, body: body)
            for (name, value) in headers { request.headers.add(name: name, value: value) }
        }
        return request
    }

    /// Sends a request and collects the response, turning transport failures into
    /// ``StewardError`` `unavailable`. `timeout` replaces the configured request timeout (for
    /// long polls).
    ///
    /// A signed request that the server refuses as older than its restart (401 naming the
    /// `Steward-Timestamp` header) is signed again in the next second and sent once more.
    func perform(
        _ method: Method, _ pathAndQuery: String, body: [UInt8] = [], signed: Bool = true, timeout: Duration? = nil
    ) async throws(StewardError) -> RawResponse {
        try await Self.retryingOnceIfOlderThanRestart(
            { () async throws(StewardError) -> RawResponse in
                try await attempt(method, pathAndQuery, body: body, signed: signed, timeout: timeout)
            },
            refusal: { signed ? $0 : nil })
    }

    /// Runs `send` and, when `refusal` finds in its answer the refusal of a request signed before
    /// the server's restart, waits into the next second and runs it once more (`send` signs anew).
    static func retryingOnceIfOlderThanRestart<Answer>(
        _ send: () async throws(StewardError) -> Answer, refusal: (Answer) -> RawResponse?
    ) async throws(StewardError) -> Answer {
        let first = try await send()
        guard let refused = refusal(first), isRefusedAsOlderThanRestart(refused) else { return first }
        await waitForTheNextSecond()
        return try await send()
    }

    /// Sleeps into the next whole second, so that a new signature carries a later timestamp
    /// than the one the server refused.
    static func waitForTheNextSecond() async {
        let now = Date().timeIntervalSince1970
        try? await Task.sleep(for: .milliseconds(Int(((now.rounded(.down) + 1 - now) * 1000).rounded(.up))))
    }

    /// True for the 401 of a request signed before the server last restarted.
    static func isRefusedAsOlderThanRestart(_ response: RawResponse) -> Bool {
        guard response.status == 401 else { return false }
        let error = decodeError(status: response.status, body: response.body)
        return error.code == .unauthenticated && error.field == RequestSigning.HeaderName.timestamp
    }

    /// One attempt of ``perform(_:_:body:signed:timeout:)``.
    private func attempt(
        _ method: Method, _ pathAndQuery: String, body: [UInt8], signed: Bool, timeout: Duration?
    ) async throws(StewardError) -> RawResponse {
        let request = makeRequest(method, pathAndQuery, body: body, signed: signed)
        do {
            let deadline = timeout ?? configuration.requestTimeout
            let response = try await httpClient.execute(request, timeout: .nanoseconds(deadline.nanoseconds))
            let buffer = try await response.body.collect(upTo: configuration.maxResponseSize)
            return RawResponse(status: Int(response.status.code), body: Array(buffer.readableBytesView))
        } catch let error as StewardError {
            throw error
        } catch {
            throw transportError(error)
        }
    }

    /// Sends a signed request to any route and returns the status and the body bytes as they
    /// came, without decoding them: an escape hatch for routes without a typed method, and for
    /// load generators that must not spend their CPU on decoding. Statuses of 400 and above
    /// are returned, not thrown; transport failures throw ``StewardError`` `unavailable`.
    public func send(method: String, pathAndQuery: String, body: [UInt8] = []) async throws(StewardError)
        -> (status: Int, body: [UInt8])
    {
        guard let method = Method(rawValue: method.uppercased()) else {
            throw .invalidInput("unsupported method '\(method)': use GET, POST, PUT or DELETE")
        }
        let response = try await perform(method, pathAndQuery, body: body)
        return (response.status, response.body)
    }

    /// Sends a JSON request to a signed route and returns the decoded JSON body; a status of
    /// 400 or above becomes the server's ``StewardError``.
    @discardableResult
    func call(_ method: Method, _ pathAndQuery: String, json: JSON? = nil, timeout: Duration? = nil) async throws(StewardError)
        -> JSON
    {
        try await callReportingStatus(method, pathAndQuery, json: json, timeout: timeout).json
    }

    /// ``call(_:_:json:timeout:)``, also returning the response's status (below 400).
    func callReportingStatus(_ method: Method, _ pathAndQuery: String, json: JSON? = nil, timeout: Duration? = nil)
        async throws(StewardError) -> (status: Int, json: JSON)
    {
        let body = json?.serializedBytes() ?? []
        let response = try await perform(method, pathAndQuery, body: body, timeout: timeout)
        guard response.status < 400 else { throw Self.decodeError(status: response.status, body: response.body) }
        if response.body.isEmpty { return (response.status, .null) }
        do {
            return (response.status, try JSONParser.parse(response.body))
        } catch {
            throw StewardError(.internal, "the server sent a response that is not JSON (\(error.description))")
        }
    }

    /// The ``StewardError`` for an error response: the body's `error` object when present,
    /// else a message made from the status.
    static func decodeError(status: Int, body: [UInt8]) -> StewardError {
        if let json = try? JSONParser.parse(body), let error = StewardError(json: json) {
            return error
        }
        let code: StewardError.Code
        switch status {
        case 400: code = .invalidInput
        case 401: code = .unauthenticated
        case 403: code = .forbidden
        case 404: code = .notFound
        case 409: code = .conflict
        case 410: code = .gone
        case 413: code = .tooLarge
        case 503: code = .unavailable
        default: code = .internal
        }
        let text = String(decoding: body.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let reason = HTTPResponseStatus(statusCode: status).reasonPhrase
        return StewardError(code, text.isEmpty ? "the server answered \(status) \(reason)" : "the server answered \(status) \(reason): \(text)")
    }

    func transportError(_ error: any Error) -> StewardError {
        if let error = error as? HTTPClientError {
            if error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
                return StewardError(.unavailable, "the server at \(configuration.serverURL) did not answer in time")
            }
            if error == .remoteConnectionClosed {
                return StewardError(.unavailable, "the server at \(configuration.serverURL) closed the connection")
            }
            if error == .invalidURL || error == .emptyHost || error == .emptyScheme {
                return StewardError(.invalidInput, "the server address '\(configuration.serverURL)' is not a valid http(s) URL")
            }
        }
        if error is CancellationError {
            return StewardError(.unavailable, "the request was cancelled")
        }
        if Self.isConnectionRefused(error) {
            return StewardError(
                .unavailable, "no Steward server answers at \(configuration.serverURL) (start one with: steward server)")
        }
        return StewardError(
            .unavailable,
            "cannot reach the server at \(configuration.serverURL) (\(error)); is `steward server` running? Set --server or STEWARD_SERVER to point elsewhere"
        )
    }
}

extension StewardClient {
    /// Whether connecting failed because nothing listens at the address: the connection was
    /// refused (an `IOError` with `ECONNREFUSED`, or NIO's connection error listing such
    /// attempts, whose description carries the system's text for it).
    static func isConnectionRefused(_ error: any Error) -> Bool {
        if let error = error as? IOError { return error.errnoCode == ECONNREFUSED }
        return String(describing: error).contains(String(cString: strerror(ECONNREFUSED)))
    }
}

extension Duration {
    /// The duration in whole nanoseconds (saturating).
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : product + attoseconds / 1_000_000_000
    }
}
