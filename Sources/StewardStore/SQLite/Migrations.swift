/// The store's schema, as named migrations applied in order at open (each once, in its own
/// transaction, recorded in `schema_migrations`).
///
/// The database enforces what it can: primary keys, UNIQUE (a kind per namespace, uids),
/// NOT NULL, CHECK on enumerations, and foreign keys to namespaces.
enum Migrations {
    static let all: [(name: String, sql: String)] = [
        (
            "v1: namespaces, members, definitions, services, history, events",
            """
            CREATE TABLE namespaces (
                name TEXT NOT NULL PRIMARY KEY,
                created_at INTEGER NOT NULL
            ) STRICT;

            CREATE TABLE members (
                namespace TEXT NOT NULL REFERENCES namespaces(name) ON DELETE CASCADE,
                identity TEXT NOT NULL CHECK (length(identity) = 64),
                role TEXT NOT NULL CHECK (role IN ('owner', 'member')),
                added_at INTEGER NOT NULL,
                PRIMARY KEY (namespace, identity)
            ) STRICT;
            CREATE INDEX members_by_identity ON members(identity);

            CREATE TABLE definitions (
                namespace TEXT NOT NULL REFERENCES namespaces(name),
                name TEXT NOT NULL,
                kind TEXT NOT NULL,
                uid TEXT NOT NULL UNIQUE,
                generation INTEGER NOT NULL CHECK (generation >= 1),
                resource_version INTEGER NOT NULL,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                spec TEXT NOT NULL,
                PRIMARY KEY (namespace, name),
                UNIQUE (namespace, kind)
            ) STRICT;

            CREATE TABLE services (
                namespace TEXT NOT NULL REFERENCES namespaces(name),
                name TEXT NOT NULL,
                kind TEXT NOT NULL,
                uid TEXT NOT NULL UNIQUE,
                generation INTEGER NOT NULL CHECK (generation >= 1),
                resource_version INTEGER NOT NULL,
                metadata TEXT NOT NULL,
                spec TEXT NOT NULL,
                status TEXT NOT NULL,
                PRIMARY KEY (namespace, name)
            ) STRICT;
            CREATE INDEX services_by_kind ON services(namespace, kind, name);

            CREATE TABLE service_labels (
                namespace TEXT NOT NULL,
                name TEXT NOT NULL,
                key TEXT NOT NULL,
                value TEXT NOT NULL,
                PRIMARY KEY (namespace, name, key),
                FOREIGN KEY (namespace, name) REFERENCES services(namespace, name) ON DELETE CASCADE
            ) STRICT;
            CREATE INDEX service_labels_by_value ON service_labels(namespace, key, value);

            CREATE TABLE history (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                namespace TEXT NOT NULL,
                name TEXT NOT NULL,
                uid TEXT NOT NULL,
                generation INTEGER NOT NULL,
                change_type TEXT NOT NULL CHECK (change_type IN ('created', 'updated', 'deleted')),
                spec TEXT NOT NULL,
                by_identity TEXT NOT NULL,
                at INTEGER NOT NULL
            ) STRICT;
            CREATE INDEX history_by_service ON history(namespace, name, id);

            CREATE TABLE events (
                revision INTEGER PRIMARY KEY AUTOINCREMENT,
                namespace TEXT NOT NULL,
                object_type TEXT NOT NULL CHECK (object_type IN ('service', 'definition')),
                type TEXT NOT NULL CHECK (type IN ('ADDED', 'MODIFIED', 'DELETED')),
                kind TEXT NOT NULL,
                name TEXT NOT NULL,
                object TEXT NOT NULL,
                at INTEGER NOT NULL
            ) STRICT;
            CREATE INDEX events_by_namespace ON events(namespace, revision);
            """
        ),
        (ReconciliationMigration.name, ReconciliationMigration.sql),
        (ProcessRetentionMigration.name, ProcessRetentionMigration.sql),
        (EventCompactionMigration.name, EventCompactionMigration.sql),
        (SignerWatermarkMigration.name, SignerWatermarkMigration.sql),
        (NodeMigration.name, NodeMigration.sql),
    ]

    /// Applies the migrations not yet recorded.
    static func run(on db: SQLiteConnection) throws {
        try db.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT NOT NULL PRIMARY KEY, applied_at INTEGER NOT NULL) STRICT"
        )
        let applied = Set(try db.all("SELECT name FROM schema_migrations", []) { $0.text(0) })
        for migration in all where !applied.contains(migration.name) {
            try db.execute("BEGIN IMMEDIATE")
            do {
                try db.execute(migration.sql)
                try db.run(
                    "INSERT INTO schema_migrations (name, applied_at) VALUES (?, unixepoch())", .text(migration.name))
                try db.execute("COMMIT")
            } catch {
                try? db.execute("ROLLBACK")
                throw error
            }
        }
    }
}
