import Foundation
import JSONSchema
import Logging
import StewardCore

/// The embedded store: one SQLite file in WAL mode.
///
/// - Durability: `synchronous=FULL`, and a write returns only after its group's COMMIT.
/// - Writes go through one writer thread that commits concurrent writes in groups, each in its
///   own savepoint (see ``WriteQueue``).
/// - Reads use a pool of read-only connections beside the writer.
/// - Migrations run at open; the database enforces keys, uniqueness and NOT NULL.
public final class SQLiteStore: Store, @unchecked Sendable {
    /// Where the database lives and how it behaves.
    public struct Configuration: Sendable {
        /// Path of the database file; created when missing.
        public var path: String
        /// How long a connection waits for a lock held by another process, in milliseconds.
        public var busyTimeoutMilliseconds: Int32
        /// The most writes committed in one transaction.
        public var maxGroupSize: Int
        /// How many finished reconciliation processes each service keeps, newest first (see
        /// ``SQLiteStore/defaultKeepFinishedProcesses``); 0 keeps none.
        public var keepFinishedProcesses: Int

        public init(
            path: String, busyTimeoutMilliseconds: Int32 = 5_000, maxGroupSize: Int = 512,
            keepFinishedProcesses: Int = SQLiteStore.defaultKeepFinishedProcesses
        ) {
            self.path = path
            self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
            self.maxGroupSize = maxGroupSize
            self.keepFinishedProcesses = keepFinishedProcesses
        }
    }

    public let configuration: Configuration
    public let watchHub: WatchHub
    /// Wakes executors waiting for reconciliation processes.
    public let processSignals = ProcessSignals()
    let writer: WriteQueue
    let readers: ReaderPool
    let checkpointer: Checkpointer
    let memberships = MembershipCache()
    let logger: Logger
    private let closeLock = NSLock()
    private var closed = false

    /// Opens (creating and migrating) the database and starts the writer thread.
    public init(configuration: Configuration, logger: Logger = Logger(label: "steward.store")) throws {
        self.configuration = configuration
        self.logger = logger
        let connection = try SQLiteConnection(
            path: configuration.path, create: true, busyTimeoutMilliseconds: configuration.busyTimeoutMilliseconds)
        let mode = try connection.first("PRAGMA journal_mode = WAL") { $0.text(0) }
        guard mode?.lowercased() == "wal" else {
            throw SQLiteError(code: 0, message: "journal_mode is \(mode ?? "unknown")", context: "switching \(configuration.path) to WAL")
        }
        try connection.execute("PRAGMA synchronous = FULL")
        try connection.execute("PRAGMA foreign_keys = ON")
        // SQLite keeps a statement journal of the pages a savepoint (or a statement that may
        // fail halfway) touches, to roll it back alone. On a temp file it spills to disk past
        // 64 KiB, one pwrite per page and a new file per transaction; in memory it is a copy.
        // It serves only ROLLBACK TO: crash recovery relies on the WAL alone.
        try connection.execute("PRAGMA temp_store = MEMORY")
        // Checkpoints run on their own thread (Checkpointer); the writer's own is a safety net.
        try connection.execute("PRAGMA wal_autocheckpoint = 20000")
        try Migrations.run(on: connection)
        try connection.execute(Self.keepFinishedTriggerSQL(keep: configuration.keepFinishedProcesses))
        let namespaces = try connection.all("SELECT name, created_at FROM namespaces", []) {
            ($0.text(0), Timestamp(secondsSince1970: $0.int(1)))
        }
        let members = try connection.all("SELECT namespace, identity, role FROM members", []) {
            (namespace: $0.text(0), identity: $0.text(1), role: Role(rawValue: $0.text(2)) ?? .member)
        }
        memberships.load(namespaces: namespaces, members: members)
        self.watchHub = WatchHub()
        self.readers = ReaderPool(path: configuration.path)
        let checkpointer = Checkpointer(path: configuration.path, logger: logger)
        try checkpointer.start()
        self.checkpointer = checkpointer
        self.writer = WriteQueue(
            connection: connection, state: WriterState(), maxGroupSize: configuration.maxGroupSize, logger: logger,
            afterGroup: { checkpointer.nudge() })
        writer.start()
    }

    /// Convenience: the database at `path` with default settings.
    public convenience init(path: String, logger: Logger = Logger(label: "steward.store")) throws {
        try self.init(configuration: Configuration(path: path), logger: logger)
    }

    /// Commits the queued writes, stops the writer and ends live watches. Idempotent.
    public func close() {
        closeLock.lock()
        let wasClosed = closed
        closed = true
        closeLock.unlock()
        guard !wasClosed else { return }
        writer.stop()
        checkpointer.stop()
        watchHub.finishAll()
        readers.closeAll()
    }

    deinit { close() }

    /// Runs `body` as one write, mapping constraint violations that slipped past the checks to
    /// a conflict.
    func write<T: Sendable>(_ body: @escaping @Sendable (WriteTransaction) throws -> T) async throws -> T {
        do {
            return try await writer.write(body)
        } catch let error as SQLiteError where error.isConstraintViolation {
            throw StewardError.conflict("the write conflicts with existing data: \(error.message)")
        } catch is StoreClosedError {
            throw StewardError(.unavailable, "the store is closed: the server is shutting down")
        }
    }

    func read<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        try readers.read(body)
    }

    public func currentRevision() async throws -> Int64 {
        try read { db in try Self.lastRevision(db) }
    }

    static func lastRevision(_ db: SQLiteConnection) throws -> Int64 {
        try db.first("SELECT seq FROM sqlite_sequence WHERE name = 'events'") { $0.int(0) } ?? 0
    }

    /// A new unique id (a time-ordered UUID, see ``TimeOrderedUID``).
    static func newUID() -> String { TimeOrderedUID.make() }

    static func parse(_ bytes: [UInt8], _ what: String) throws -> JSON {
        do {
            return try JSON(parsing: bytes)
        } catch {
            throw StewardError.internal("stored \(what) is not valid JSON: \(error)")
        }
    }
}

extension SQLiteStore {
    /// Runs SQLite's integrity check; returns the problems found (empty when the database is
    /// sound).
    public func integrityCheck() throws -> [String] {
        let rows = try read { db in try db.all("PRAGMA integrity_check", []) { $0.text(0) } }
        return rows == ["ok"] ? [] : rows
    }
}
