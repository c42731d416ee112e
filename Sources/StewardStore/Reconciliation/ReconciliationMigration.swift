/// The tables of reconciliation: executors, processes (the durable work queue) and the
/// per-service reconciliation state (failures for the backoff, the next resync, the last result).
///
/// The database enforces at most one waiting and one running process per service (partial
/// UNIQUE indexes) and that a running process has an executor and a lease.
enum ReconciliationMigration {
    static let name = "v2: executors, processes, reconcile_state"

    static let sql = """
        CREATE TABLE executors (
            namespace TEXT NOT NULL REFERENCES namespaces(name),
            name TEXT NOT NULL,
            executor_type TEXT NOT NULL,
            node TEXT NOT NULL,
            identity TEXT NOT NULL CHECK (length(identity) = 64),
            registered_at INTEGER NOT NULL,
            last_heartbeat_at INTEGER NOT NULL,
            PRIMARY KEY (namespace, name)
        ) STRICT;
        CREATE INDEX executors_by_type ON executors(namespace, executor_type);

        CREATE TABLE processes (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            namespace TEXT NOT NULL,
            service TEXT NOT NULL,
            service_kind TEXT NOT NULL,
            service_uid TEXT NOT NULL,
            executor_type TEXT NOT NULL,
            func_name TEXT NOT NULL,
            action TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete', 'resync')),
            old TEXT,
            new TEXT,
            state TEXT NOT NULL CHECK (state IN ('waiting', 'running', 'succeeded', 'superseded', 'cancelled')),
            attempt INTEGER NOT NULL DEFAULT 0 CHECK (attempt >= 0),
            executor TEXT,
            lease_expires_at INTEGER,
            not_before INTEGER NOT NULL DEFAULT 0,
            error TEXT,
            created_at INTEGER NOT NULL,
            assigned_at INTEGER,
            closed_at INTEGER,
            CHECK (state <> 'running' OR (executor IS NOT NULL AND lease_expires_at IS NOT NULL))
        ) STRICT;
        CREATE UNIQUE INDEX processes_one_waiting ON processes(namespace, service) WHERE state = 'waiting';
        CREATE UNIQUE INDEX processes_one_running ON processes(namespace, service) WHERE state = 'running';
        CREATE INDEX processes_ready ON processes(namespace, executor_type, state, seq);
        CREATE INDEX processes_by_service ON processes(namespace, service, seq);
        CREATE INDEX processes_leases ON processes(lease_expires_at) WHERE state = 'running';

        CREATE TABLE reconcile_state (
            namespace TEXT NOT NULL,
            name TEXT NOT NULL,
            failures INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
            next_resync_at INTEGER,
            last_result TEXT CHECK (last_result IN ('succeeded', 'failed')),
            last_error TEXT,
            last_closed_at INTEGER,
            PRIMARY KEY (namespace, name),
            FOREIGN KEY (namespace, name) REFERENCES services(namespace, name) ON DELETE CASCADE
        ) STRICT;
        CREATE INDEX reconcile_state_resync ON reconcile_state(next_resync_at) WHERE next_resync_at IS NOT NULL;
        """
}
