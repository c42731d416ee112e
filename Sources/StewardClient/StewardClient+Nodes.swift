import JSONSchema
import StewardCore

extension StewardClient {
    /// Registers the node `node.name` for the caller, or records its heartbeat with what it
    /// offers and runs; `conflict` when another identity registered that name.
    @discardableResult
    public func heartbeatNode(_ node: Node) async throws(StewardError) -> Node {
        return try Node(json: try await call(.put, PathBuilder.api(["nodes", node.name]), json: node.heartbeatJSON))
    }

    /// Every node the server knows, by name, with its state.
    public func nodes() async throws(StewardError) -> [Node] {
        let body = try await call(.get, PathBuilder.api(["nodes"]))
        return try Self.items(body).map { (item: JSON) throws(StewardError) in try Node(json: item) }
    }

    public func node(named name: String) async throws(StewardError) -> Node {
        try Node(json: try await call(.get, PathBuilder.api(["nodes", name])))
    }

    /// Forgets a node (its own identity, or an owner of `default`).
    public func removeNode(named name: String) async throws(StewardError) {
        try await call(.delete, PathBuilder.api(["nodes", name]))
    }
}
