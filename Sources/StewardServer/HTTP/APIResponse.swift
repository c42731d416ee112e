import Hummingbird
import JSONSchema
import NIOCore
import StewardCore

/// Builds the API's responses: JSON bodies and the error shape.
enum APIResponse {
    static let jsonContentType = "application/json"

    /// A JSON response from already-serialized bytes.
    static func json(bytes: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
        var buffer = ByteBufferAllocator().buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        return Response(
            status: status, headers: [.contentType: jsonContentType, .contentLength: String(bytes.count)],
            body: .init(byteBuffer: buffer))
    }

    static func json(_ value: JSON, status: HTTPResponse.Status = .ok) -> Response {
        json(bytes: value.serializedBytes(), status: status)
    }

    /// `{"items": [...]}`, with `"continue": token` when another page follows.
    static func items(_ items: [JSON], continue token: String? = nil, status: HTTPResponse.Status = .ok) -> Response {
        var body: JSONObject = ["items": .array(items)]
        if let token { body["continue"] = .string(token) }
        return json(.object(body), status: status)
    }

    static func noContent() -> Response {
        Response(status: .noContent)
    }

    /// The HTTP status of an error code.
    static func status(for code: StewardError.Code) -> HTTPResponse.Status {
        switch code {
        case .invalidInput, .validationFailed: return .badRequest
        case .unauthenticated: return .unauthorized
        case .forbidden: return .forbidden
        case .notFound: return .notFound
        case .conflict: return .conflict
        case .tooLarge: return .contentTooLarge
        case .gone: return .gone
        case .unavailable: return .serviceUnavailable
        default: return .internalServerError
        }
    }

    /// The error code of an HTTP status (for errors raised by the HTTP layer itself).
    static func code(for status: HTTPResponse.Status) -> StewardError.Code {
        switch status.code {
        case 400: return .invalidInput
        case 401: return .unauthenticated
        case 403: return .forbidden
        case 404: return .notFound
        case 405: return .invalidInput
        case 409: return .conflict
        case 410: return .gone
        case 413: return .tooLarge
        case 503: return .unavailable
        default: return status.code < 500 ? .invalidInput : .internal
        }
    }

    static func error(_ error: StewardError) -> Response {
        json(error.json, status: status(for: error.code))
    }
}
