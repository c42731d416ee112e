import StewardCore

/// The context of one write on the writer thread: the connection (inside the write's
/// savepoint), the writer's caches, and work to do once the write is committed.
final class WriteTransaction {
    let connection: SQLiteConnection
    let state: WriterState
    private var afterCommit: [() -> Void] = []
    private var stateChanges: [(WriterState) -> Void] = []

    init(connection: SQLiteConnection, state: WriterState) {
        self.connection = connection
        self.state = state
    }

    /// Runs `work` after the group commits (publishing events, updating read caches).
    func onCommit(_ work: @escaping () -> Void) {
        afterCommit.append(work)
    }

    /// Changes the writer's caches once this write's savepoint is released, so that later writes
    /// of the same group see them. A failed commit invalidates the caches entirely.
    func onRelease(_ change: @escaping (WriterState) -> Void) {
        stateChanges.append(change)
    }

    func applyWriterStateChanges() {
        for change in stateChanges { change(state) }
    }

    func runAfterCommit() {
        for work in afterCommit { work() }
    }

    /// Appends the event of this write with `revision` (from ``nextRevision()``).
    func appendEvent(
        revision: Int64, namespace: String, objectType: WatchEvent.ObjectType, type: WatchEvent.EventType, kind: String,
        name: String, object: [UInt8], at: Timestamp
    ) throws {
        try connection.run(
            "INSERT INTO events (revision, namespace, object_type, type, kind, name, object, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            .int(revision), .text(namespace), .text(objectType.rawValue), .text(type.rawValue), .text(kind), .text(name),
            .bytes(object), .int(at.secondsSince1970))
    }

    /// The revision this write's event will get: events.revision is AUTOINCREMENT and the writer
    /// holds the database's write lock, so it is one past the last one ever handed out.
    func nextRevision() throws -> Int64 {
        let last = try connection.first("SELECT seq FROM sqlite_sequence WHERE name = 'events'") { $0.int(0) }
        return (last ?? 0) + 1
    }
}
