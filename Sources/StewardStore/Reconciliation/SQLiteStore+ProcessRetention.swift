extension SQLiteStore {
    /// How many finished processes a service keeps unless configured otherwise
    /// (``Configuration/keepFinishedProcesses``).
    public static let defaultKeepFinishedProcesses = 20

    /// Deletes the finished processes (`succeeded`, `superseded`, `cancelled`) of a service
    /// beyond its newest `keep`, in the caller's write. Waiting and running processes are never
    /// deleted. Every write that finishes a process calls it for that process's service, so a
    /// service holds at most `keep` finished processes plus its waiting and running one; a
    /// service that was removed keeps its last `keep` (the process that removed it among them),
    /// and a process removed this way answers 404 like one that never existed.
    ///
    /// The `processes_finished` partial index (``ProcessRetentionMigration``) answers the look for
    /// the cut-off from index entries alone and leads the delete to the rows it deletes, so the
    /// cost is about `keep` index entries plus the rows deleted, whatever the size of the table
    /// or the number of the service's processes. A negative `keep` counts as 0.
    ///
    /// - Returns: how many processes were deleted.
    @discardableResult
    static func pruneFinishedProcesses(
        ofService service: String, in namespace: String, keeping keep: Int, _ db: SQLiteConnection
    ) throws -> Int {
        try db.run(pruneFinishedSQL, .text(namespace), .text(service), .int(Int64(max(keep, 0))))
    }

    /// Deletes the finished processes of service ?2 in namespace ?1 up to and including the
    /// (?3 + 1)-th newest; with ?3 or fewer finished, the cut-off is NULL and nothing goes. The
    /// state terms repeat the index's WHERE clause word for word, which is how SQLite knows it may
    /// use the partial index.
    static let pruneFinishedSQL = """
        DELETE FROM processes
        WHERE namespace = ?1 AND service = ?2 AND state IN ('succeeded', 'superseded', 'cancelled')
          AND seq <= (
            SELECT seq FROM processes
            WHERE namespace = ?1 AND service = ?2 AND state IN ('succeeded', 'superseded', 'cancelled')
            ORDER BY seq DESC LIMIT 1 OFFSET ?3)
        """

    /// ``pruneFinishedProcesses(ofService:in:keeping:_:)`` with this store's
    /// ``Configuration/keepFinishedProcesses``.
    func pruneFinishedProcesses(ofService service: String, in namespace: String, _ db: SQLiteConnection) throws {
        try Self.pruneFinishedProcesses(
            ofService: service, in: namespace, keeping: configuration.keepFinishedProcesses, db)
    }

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
