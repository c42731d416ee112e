import StewardCore

extension SQLiteStore {
    /// How many events one compaction write deletes at most, unless told otherwise.
    public static let defaultEventCompactionBatchSize = 5_000

    /// What one ``compactEvents(before:batchSize:)`` did.
    public struct EventCompactionResult: Sendable, Equatable {
        /// Events deleted.
        public var deleted: Int
        /// Writes it took (each deleting at most the batch size).
        public var batches: Int

        public init(deleted: Int, batches: Int) {
            self.deleted = deleted
            self.batches = batches
        }
    }

    /// Deletes the events written before `cutoff`, except the newest event of each namespace,
    /// and records per namespace the highest revision deleted (see ``compactedRevision(in:)``).
    ///
    /// The events to delete are those below the first event written at or after `cutoff`
    /// (revisions grow with time, so this is a range of the table's primary key and the writes
    /// never scan the events they keep). They go in writes of at most `batchSize` events
    /// through the store's single writer, so other writes queue behind one batch at most.
    /// Keeping each namespace's newest event keeps the revision a list reports and the
    /// watches that start from it valid; the store's current revision never goes back, since
    /// revisions are handed out by AUTOINCREMENT.
    @discardableResult
    public func compactEvents(
        before cutoff: Timestamp, batchSize: Int = SQLiteStore.defaultEventCompactionBatchSize
    ) async throws -> EventCompactionResult {
        precondition(batchSize > 0, "a compaction batch deletes at least one event")
        let bound = try read { db in
            try db.execute("BEGIN")
            defer { try? db.execute("COMMIT") }
            let firstKept = try db.first(
                "SELECT revision FROM events WHERE at >= ? ORDER BY revision LIMIT 1", .int(cutoff.secondsSince1970)
            ) { $0.int(0) }
            return try firstKept ?? Self.lastRevision(db) + 1
        }
        var result = EventCompactionResult(deleted: 0, batches: 0)
        while true {
            let deleted = try await write { tx in try Self.compactEventBatch(below: bound, limit: batchSize, tx.connection) }
            result.batches += 1
            result.deleted += deleted
            if deleted < batchSize { return result }
        }
    }

    /// Deletes, in the caller's write, at most `limit` of the oldest events below revision
    /// `bound` that are not the newest of their namespace, and raises each namespace's
    /// compacted revision to the highest one deleted. Returns how many were deleted.
    static func compactEventBatch(below bound: Int64, limit: Int, _ db: SQLiteConnection) throws -> Int {
        let deleted = try db.all(compactEventBatchSQL, [.int(bound), .int(Int64(limit))]) { ($0.text(0), $0.int(1)) }
        var highest: [String: Int64] = [:]
        for (namespace, revision) in deleted {
            highest[namespace] = max(highest[namespace] ?? 0, revision)
        }
        for (namespace, revision) in highest {
            try db.run(
                """
                INSERT INTO event_compaction (namespace, revision) VALUES (?, ?)
                ON CONFLICT (namespace) DO UPDATE SET revision = max(revision, excluded.revision)
                """,
                .text(namespace), .int(revision))
        }
        return deleted.count
    }

    /// The oldest ?2 events below revision ?1 that have a later event in their namespace
    /// (found on `events_by_namespace`), deleted, with their namespace and revision.
    static let compactEventBatchSQL = """
        DELETE FROM events WHERE revision IN (
            SELECT e.revision FROM events e
            WHERE e.revision < ?1
              AND EXISTS (SELECT 1 FROM events l WHERE l.namespace = e.namespace AND l.revision > e.revision)
            ORDER BY e.revision LIMIT ?2)
        RETURNING namespace, revision
        """

    /// The highest revision of `namespace` whose event was compacted away; 0 when none was.
    /// A watch must start from this revision or later to see every change.
    public func compactedRevision(in namespace: String) async throws -> Int64 {
        try read { db in try Self.compactedRevision(in: namespace, db) }
    }

    static func compactedRevision(in namespace: String, _ db: SQLiteConnection) throws -> Int64 {
        try db.first("SELECT revision FROM event_compaction WHERE namespace = ?", .text(namespace)) { $0.int(0) } ?? 0
    }

    /// The `gone` error of a watch from `revision` when the events after it up to `compacted`
    /// were deleted.
    static func compacted(from revision: Int64, upTo compacted: Int64, in namespace: String) -> StewardError {
        StewardError(
            .gone,
            "revision \(revision) is older than the oldest kept event of namespace '\(namespace)' (revision \(compacted) was compacted); list again and watch from the list's revision"
        )
    }
}
