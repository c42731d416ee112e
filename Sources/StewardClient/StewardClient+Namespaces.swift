import JSONSchema
import StewardCore

extension StewardClient {
    /// The caller's identity and its namespaces (`GET /api/v1/whoami`).
    public func whoami() async throws(StewardError) -> WhoAmI {
        try WhoAmI(json: try await call(.get, PathBuilder.api(["whoami"])))
    }

    /// The namespaces the caller belongs to.
    public func namespaces() async throws(StewardError) -> [Namespace] {
        let body = try await call(.get, PathBuilder.api(["namespaces"]))
        return try Self.items(body).map { (item: JSON) throws(StewardError) in try Namespace(json: item) }
    }

    /// Creates a namespace owned by `owner` (the caller when nil). Only owners of the
    /// `default` namespace may do this.
    @discardableResult
    public func createNamespace(name: String, owner: String? = nil) async throws(StewardError) -> Namespace {
        var body = JSONObject()
        body["name"] = .string(name)
        if let owner { body["owner"] = .string(owner) }
        return try Namespace(json: try await call(.post, PathBuilder.api(["namespaces"]), json: .object(body)))
    }

    /// The members of a namespace and their roles.
    public func members(namespace: String? = nil) async throws(StewardError) -> [Member] {
        let body = try await call(.get, PathBuilder.api(["namespaces", namespaceOrDefault(namespace), "members"]))
        return try Self.items(body).map { (item: JSON) throws(StewardError) in try Member(json: item) }
    }

    /// Adds an identity to a namespace, or changes its role (owners only).
    @discardableResult
    public func addMember(id: String, role: Role, namespace: String? = nil) async throws(StewardError) -> Member {
        let path = PathBuilder.api(["namespaces", namespaceOrDefault(namespace), "members"])
        let body: JSON = .object(["id": .string(id), "role": .string(role.rawValue)])
        return try Member(json: try await call(.post, path, json: body))
    }

    /// Removes an identity from a namespace (owners only).
    public func removeMember(id: String, namespace: String? = nil) async throws(StewardError) {
        try await call(.delete, PathBuilder.api(["namespaces", namespaceOrDefault(namespace), "members", id]))
    }

    /// The `items` array of a list response.
    static func items(_ body: JSON) throws(StewardError) -> [JSON] {
        guard let items = body["items"]?.arrayValue else {
            throw StewardError(.internal, "the server sent a list without 'items'")
        }
        return items
    }

    /// The server's OpenAPI document (`GET /openapi.yaml`, unsigned), as YAML text.
    public func openAPIDocument() async throws(StewardError) -> String {
        let response = try await perform(.get, "/openapi.yaml", signed: false)
        guard response.status < 400 else { throw Self.decodeError(status: response.status, body: response.body) }
        return String(decoding: response.body, as: UTF8.self)
    }

    /// The body of the server's unsigned health route (`GET /healthz`), `ok` when it is up.
    public func health() async throws(StewardError) -> String {
        let response = try await perform(.get, "/healthz", signed: false)
        guard response.status < 400 else { throw Self.decodeError(status: response.status, body: response.body) }
        return String(decoding: response.body, as: UTF8.self)
    }
}
