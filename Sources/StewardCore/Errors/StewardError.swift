import JSONSchema

/// An error a person can act on: a machine-readable ``Code``, a message, and optionally the
/// field of the request that caused it (a dotted path such as `spec.replicas`).
///
/// The server maps each code to one HTTP status and sends the error as
/// `{"error": {"code": ..., "message": ..., "field": ...}}`; the client turns that body back
/// into a `StewardError`.
public struct StewardError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is. Codes are open-ended strings on the wire, so a client
    /// can carry a code it does not know.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The request is malformed or breaks a rule (HTTP 400).
        public static let invalidInput = Code(rawValue: "invalid_input")
        /// The service does not match its definition's schema (HTTP 400).
        public static let validationFailed = Code(rawValue: "validation_failed")
        /// The request is not signed, or its signature does not verify (HTTP 401).
        public static let unauthenticated = Code(rawValue: "unauthenticated")
        /// The caller's role does not allow this operation (HTTP 403).
        public static let forbidden = Code(rawValue: "forbidden")
        /// The object or namespace does not exist, or the caller cannot see it (HTTP 404).
        public static let notFound = Code(rawValue: "not_found")
        /// The object exists already, is in use, or was changed meanwhile (HTTP 409).
        public static let conflict = Code(rawValue: "conflict")
        /// The request body is larger than the server accepts (HTTP 413).
        public static let tooLarge = Code(rawValue: "too_large")
        /// What the request asks for is no longer kept: a watch from a revision whose events were
        /// compacted away (HTTP 410). List again and watch from the list's revision.
        public static let gone = Code(rawValue: "gone")
        /// The server failed; the message says what it was doing (HTTP 500).
        public static let `internal` = Code(rawValue: "internal")
        /// The server is shutting down or cannot take the request now (HTTP 503).
        public static let unavailable = Code(rawValue: "unavailable")

        public var description: String { rawValue }
    }

    public var code: Code
    public var message: String
    /// The request field at fault, as a dotted path (`metadata.name`, `spec.ports[0].port`).
    public var field: String?

    public init(_ code: Code, _ message: String, field: String? = nil) {
        self.code = code
        self.message = message
        self.field = field
    }

    public var description: String { message }

    public static func invalidInput(_ message: String, field: String? = nil) -> StewardError {
        StewardError(.invalidInput, message, field: field)
    }

    public static func notFound(_ message: String) -> StewardError {
        StewardError(.notFound, message)
    }

    public static func conflict(_ message: String, field: String? = nil) -> StewardError {
        StewardError(.conflict, message, field: field)
    }

    public static func forbidden(_ message: String) -> StewardError {
        StewardError(.forbidden, message)
    }

    public static func unauthenticated(_ message: String) -> StewardError {
        StewardError(.unauthenticated, message)
    }

    public static func `internal`(_ message: String) -> StewardError {
        StewardError(.internal, message)
    }
}

extension StewardError {
    /// The wire form: `{"error": {"code", "message", "field"}}` (`field` only when known).
    public var json: JSON {
        var body = JSONObject()
        body["code"] = .string(code.rawValue)
        body["message"] = .string(message)
        if let field { body["field"] = .string(field) }
        return .object(["error": .object(body)])
    }

    /// Reads the wire form back; nil when `json` is not an error body.
    public init?(json: JSON) {
        guard let body = json["error"]?.objectValue,
            let code = body["code"]?.stringValue,
            let message = body["message"]?.stringValue
        else { return nil }
        self.init(Code(rawValue: code), message, field: body["field"]?.stringValue)
    }
}
