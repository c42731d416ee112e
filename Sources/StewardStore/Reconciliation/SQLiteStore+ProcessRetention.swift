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
}
