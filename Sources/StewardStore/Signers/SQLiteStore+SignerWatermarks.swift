extension SQLiteStore {
    /// The stored high-water timestamp of each identity (unix seconds): the highest timestamp
    /// of a request the server may have acted on. A server reads them at start and refuses
    /// every request at or below its identity's mark, so that a request captured before a
    /// restart cannot be replayed after it.
    public func signerWatermarks() throws -> [String: Int64] {
        try read { db in
            Dictionary(
                try db.all("SELECT identity, timestamp FROM signer_watermarks", []) { ($0.text(0), $0.int(1)) },
                uniquingKeysWith: max)
        }
    }

    /// Raises the marks of `marks`' identities to the given timestamps (a mark never goes down),
    /// in one write through the single writer, so that concurrent raises share a commit; and,
    /// when `forgetBelow` is set, deletes the marks below it (those of identities quiet for
    /// longer than the clock-skew window: every request they stand for has expired).
    public func raiseSignerWatermarks(_ marks: [String: Int64], forgetBelow: Int64? = nil) async throws {
        try await write { tx in
            let db = tx.connection
            for (identity, timestamp) in marks {
                try db.run(
                    """
                    INSERT INTO signer_watermarks (identity, timestamp) VALUES (?, ?)
                    ON CONFLICT (identity) DO UPDATE SET timestamp = MAX(timestamp, excluded.timestamp)
                    """,
                    .text(identity), .int(timestamp))
            }
            if let forgetBelow {
                try db.run("DELETE FROM signer_watermarks WHERE timestamp < ?", .int(forgetBelow))
            }
        }
    }
}
