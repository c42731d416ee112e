/// The table of nodes: each supervisor (`steward server`'s own, or a `steward agent`) registers
/// its node and heartbeats it (see ``SQLiteStore/heartbeatNode(_:identity:now:)``).
enum NodeMigration {
    static let name = "v6: nodes, the machines whose supervisors run instances, with their heartbeats"

    static let sql = """
        CREATE TABLE nodes (
            name TEXT NOT NULL PRIMARY KEY,
            identity TEXT NOT NULL CHECK (length(identity) = 64),
            labels TEXT NOT NULL,
            memory_capacity INTEGER,
            cpus INTEGER,
            instances INTEGER NOT NULL,
            version TEXT NOT NULL,
            registered_at INTEGER NOT NULL,
            last_heartbeat_at INTEGER NOT NULL
        ) STRICT;
        """
}
