import JSONSchema
import StewardCore

extension StewardClient {
    /// Registers the node `node.name` for the caller, or records its heartbeat with what it
    /// offers and runs; `conflict` when another identity registered that name.
    @discardableResult
    public func heartbeatNode(_ node: Node) async throws(StewardError) -> Node {
        var body = JSONObject()
        body["labels"] = .object(JSONObject(node.labels.sorted { $0.key < $1.key }.map { ($0.key, JSON.string($0.value)) }))
        if let memory = node.memoryCapacity { body["memoryCapacity"] = .int(Int(memory)) }
        if let cpus = node.cpus { body["cpus"] = .int(cpus) }
        body["instances"] = .int(node.instances)
        body["version"] = .string(node.version)
        return try Node(json: try await call(.put, PathBuilder.api(["nodes", node.name]), json: .object(body)))
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
