import JSONSchema
import StewardCore

/// The caller as the server sees it: its identity id and the namespaces it belongs to.
public struct WhoAmI: Sendable, Equatable {
    /// The identity id (hex public key).
    public var id: String
    /// The namespaces the identity belongs to, each with the identity's role.
    public var namespaces: [Namespace]

    public init(id: String, namespaces: [Namespace]) {
        self.id = id
        self.namespaces = namespaces
    }

    /// Reads the body of `GET /api/v1/whoami`.
    public init(json: JSON) throws(StewardError) {
        guard let id = json["id"]?.stringValue else {
            throw StewardError(.internal, "the whoami response has no 'id'")
        }
        var namespaces: [Namespace] = []
        for item in json["namespaces"]?.arrayValue ?? [] {
            namespaces.append(try Namespace(json: item))
        }
        self.init(id: id, namespaces: namespaces)
    }
}
