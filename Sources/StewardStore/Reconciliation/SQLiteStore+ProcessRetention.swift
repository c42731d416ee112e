extension SQLiteStore {
    /// How many finished processes a service keeps unless configured otherwise
    /// (``Configuration/keepFinishedProcesses``).
    public static let defaultKeepFinishedProcesses = 20

    /// Keeps each service's finished processes (`succeeded`, `superseded`, `cancelled`) to its
    /// newest `keep`: a trigger on the writer's connection that fires whenever a process becomes
    /// finished, whichever write finishes it (a close, a cancel, a merge into a newer waiting
    /// process), and deletes that service's older finished processes in the same write. Waiting
    /// and running processes are never deleted; a service that was removed keeps its last `keep`
    /// (the process that removed it among them) until
    /// ``purgeProcessesOfRemovedServices(closedBefore:batchSize:)``; a process deleted this way
    /// answers 404 like one that never existed.
    ///
    /// The trigger is TEMP, made when the store opens with the configured `keep` (a negative one
    /// counts as 0), so the setting lives in the configuration and not in the file. The
    /// `processes_finished` partial index (``ProcessRetentionMigration``) answers the look for the
    /// cut-off from index entries alone and leads the delete to the rows it deletes, so the cost
    /// is about `keep` index entries plus the rows deleted, whatever the size of the table.
    static func keepFinishedTriggerSQL(keep: Int) -> String {
        """
        CREATE TEMP TRIGGER processes_keep_finished AFTER UPDATE OF state ON main.processes
        WHEN NEW.state IN ('succeeded', 'superseded', 'cancelled')
        BEGIN
        \(pruneFinishedSQL(namespace: "NEW.namespace", service: "NEW.service", keep: String(max(keep, 0))));
        END
        """
    }

    /// Deletes the finished processes of service `service` in namespace `namespace` (SQL
    /// expressions) up to and including the (`keep` + 1)-th newest; with `keep` or fewer
    /// finished, the cut-off is NULL and nothing goes. The state terms repeat the index's WHERE
    /// clause word for word, which is how SQLite knows it may use the partial index.
    static func pruneFinishedSQL(namespace: String, service: String, keep: String) -> String {
        """
        DELETE FROM processes
        WHERE namespace = \(namespace) AND service = \(service) AND state IN ('succeeded', 'superseded', 'cancelled')
          AND seq <= (
            SELECT seq FROM processes
            WHERE namespace = \(namespace) AND service = \(service) AND state IN ('succeeded', 'superseded', 'cancelled')
            ORDER BY seq DESC LIMIT 1 OFFSET \(keep))
        """
    }

    /// The trigger's delete with parameters: namespace ?1, service ?2, keep ?3.
    static let pruneFinishedSQL = pruneFinishedSQL(namespace: "?1", service: "?2", keep: "?3")

    /// Deletes the finished processes of services that no longer exist (removed, not re-created)
    /// once all of them closed before `cutoffMS` (the service was removed before it), in writes
    /// of at most `batchSize` processes through the store's single writer. A removed service keeps its newest finished processes (among them
    /// the one that removed it) until then, so `steward process ls` still shows how it went;
    /// afterwards nothing of it stays, however many services come and go.
    ///
    /// - Returns: how many processes were deleted.
    @discardableResult
    public func purgeProcessesOfRemovedServices(closedBefore cutoffMS: Int64, batchSize: Int = 5_000) async throws -> Int {
        precondition(batchSize > 0, "a purge write deletes at least one process")
        var deleted = 0
        while true {
            let batch = try await write { tx in
                try tx.connection.run(Self.purgeRemovedSQL, .int(cutoffMS), .int(Int64(batchSize)))
            }
            deleted += batch
            if batch < batchSize { return deleted }
        }
    }

    /// At most ?2 finished processes of services that do not exist and whose processes all
    /// finished before ?1 (a service removed before the cutoff goes whole, one removed after it
    /// keeps everything until then).
    static let purgeRemovedSQL = """
        DELETE FROM processes WHERE seq IN (
            SELECT p.seq FROM processes p
            WHERE p.state IN ('succeeded', 'superseded', 'cancelled')
              AND NOT EXISTS (SELECT 1 FROM services s WHERE s.namespace = p.namespace AND s.name = p.service)
              AND NOT EXISTS (
                SELECT 1 FROM processes q WHERE q.namespace = p.namespace AND q.service = p.service
                  AND (q.state NOT IN ('succeeded', 'superseded', 'cancelled') OR COALESCE(q.closed_at, q.created_at) >= ?1))
            LIMIT ?2)
        """
}
