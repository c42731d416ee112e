/// The table that remembers how far each namespace's event log was compacted (see
/// ``SQLiteStore/compactEvents(before:batchSize:)``).
///
/// One row per namespace whose events were ever deleted: the highest revision deleted. A watch
/// from below it would miss events, so it is refused with `gone`. A namespace without a row
/// never lost an event.
enum EventCompactionMigration {
    static let name = "v4: event_compaction, the highest compacted revision of each namespace"

    static let sql = """
        CREATE TABLE event_compaction (
            namespace TEXT NOT NULL PRIMARY KEY,
            revision INTEGER NOT NULL CHECK (revision >= 1)
        ) STRICT;
        """
}
