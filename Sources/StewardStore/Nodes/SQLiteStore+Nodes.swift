import JSONSchema
import StewardCore

extension SQLiteStore {
    /// Registers `node` for `identity`, or records a heartbeat of the node `identity` registered
    /// before: labels, capacity, instance count and version are replaced, `lastHeartbeatAt`
    /// becomes `now`. A node registered by another identity is a conflict (one node name, one
    /// supervisor). Returns the node as stored.
    public func heartbeatNode(_ node: Node, identity: String, now: Int64) async throws -> Node {
        try node.validate()
        let labels = node.labelsJSON.serialized()
        return try await write { tx in
            let db = tx.connection
            var stored = node
            stored.identity = identity
            stored.lastHeartbeatAtMS = now
            if let existing = try Self.loadNode(node.name, db) {
                guard existing.identity == identity else {
                    throw StewardError.conflict(
                        "node '\(node.name)' is registered by another identity (\(existing.identity.prefix(12))…); give this one another name with --node, or remove the other with `steward node remove --name \(node.name)`",
                        field: "name")
                }
                stored.registeredAtMS = existing.registeredAtMS
            } else {
                stored.registeredAtMS = now
            }
            try db.run(
                """
                INSERT INTO nodes (name, identity, labels, memory_capacity, cpus, instances, version, registered_at, last_heartbeat_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (name) DO UPDATE SET labels = excluded.labels, memory_capacity = excluded.memory_capacity,
                    cpus = excluded.cpus, instances = excluded.instances, version = excluded.version,
                    last_heartbeat_at = excluded.last_heartbeat_at
                """,
                .text(stored.name), .text(identity), .text(labels), stored.memoryCapacity.map { .int($0) } ?? .null,
                stored.cpus.map { .int(Int64($0)) } ?? .null, .int(Int64(stored.instances)), .text(stored.version),
                .int(stored.registeredAtMS), .int(now))
            return stored
        }
    }

    /// Every node, by name.
    public func nodes() async throws -> [Node] {
        try read { db in
            try db.all("SELECT \(Self.nodeColumns) FROM nodes ORDER BY name", [], map: Self.node(from:))
        }
    }

    public func node(named name: String) async throws -> Node? {
        try read { try Self.loadNode(name, $0) }
    }

    /// Forgets a node (its supervisor registers it again at its next heartbeat); false when
    /// there was none.
    @discardableResult
    public func removeNode(named name: String) async throws -> Bool {
        try await write { tx in try tx.connection.run("DELETE FROM nodes WHERE name = ?", .text(name)) > 0 }
    }

    static let nodeColumns = "name, identity, labels, memory_capacity, cpus, instances, version, registered_at, last_heartbeat_at"

    static func loadNode(_ name: String, _ db: SQLiteConnection) throws -> Node? {
        try db.first("SELECT \(nodeColumns) FROM nodes WHERE name = ?", .text(name), map: node(from:))
    }

    static func node(from row: SQLiteStatement) throws -> Node {
        let labels = (try? JSON(parsing: row.text(2)))?.objectValue ?? JSONObject()
        var labelMap: [String: String] = [:]
        for (key, value) in zip(labels.keys, labels.values) { labelMap[key] = value.stringValue }
        return Node(
            name: row.text(0), identity: row.text(1), labels: labelMap,
            memoryCapacity: row.isNull(3) ? nil : row.int(3), cpus: row.isNull(4) ? nil : Int(row.int(4)),
            instances: Int(row.int(5)), version: row.text(6), registeredAtMS: row.int(7), lastHeartbeatAtMS: row.int(8))
    }
}
