/// The table of signer high-water timestamps that keeps a signed request from being accepted
/// twice across a restart (see ``SQLiteStore/raiseSignerWatermarks(_:forgetBelow:)``).
///
/// One row per identity that signed a request within the last clock-skew window: the highest
/// request timestamp (unix seconds) the server may have acted on. Rows below the window are
/// deleted, since every request they could stand for has expired.
enum SignerWatermarkMigration {
    static let name = "v5: signer_watermarks, the highest accepted request timestamp of each identity"

    static let sql = """
        CREATE TABLE signer_watermarks (
            identity TEXT NOT NULL PRIMARY KEY CHECK (length(identity) = 64),
            timestamp INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX signer_watermarks_by_timestamp ON signer_watermarks(timestamp);
        """
}
