/// The index that bounds the history of finished processes (see
/// ``SQLiteStore/keepFinishedTriggerSQL(keep:)``).
///
/// It holds only finished processes (`succeeded`, `superseded`, `cancelled`), by service and
/// newest last. Finding a service's (N+1)-th newest finished process reads N+1 index entries
/// alone (the index carries `state`, which the query repeats to use it), neither the waiting and
/// running processes nor the rows with their `old` and `new` service bodies; the delete then
/// visits just the rows it deletes.
enum ProcessRetentionMigration {
    static let name = "v3: processes_finished index for the retention of finished processes"

    static let sql = """
        CREATE INDEX processes_finished ON processes(namespace, service, seq, state)
            WHERE state IN ('succeeded', 'superseded', 'cancelled');
        """
}
