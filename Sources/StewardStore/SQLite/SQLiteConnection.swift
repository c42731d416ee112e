import CSQLite
import Foundation

/// One SQLite connection with a cache of prepared statements.
///
/// Not thread-safe: a connection is used by one thread at a time (the store's writer thread,
/// or a reader checked out of the pool). It is opened with `SQLITE_OPEN_NOMUTEX`.
final class SQLiteConnection: @unchecked Sendable {
    private var handle: OpaquePointer?
    private var statements: [String: SQLiteStatement] = [:]
    let path: String

    /// Process-wide SQLite settings, applied once before the first connection opens: memory
    /// statistics off, so that SQLite's allocations (many per statement: this build of SQLite
    /// has no lookaside) do not all serialize on one global mutex. The store reads no memory
    /// statistics. Has no effect if SQLite was initialized earlier in the process.
    private static let processSettings: Void = {
        _ = steward_sqlite3_config_memstatus(0)
    }()

    /// Opens (creating when `create`) the database at `path`.
    init(path: String, create: Bool, busyTimeoutMilliseconds: Int32 = 5_000) throws {
        Self.processSettings
        self.path = path
        var flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX
        if create { flags |= SQLITE_OPEN_CREATE }
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(db)
            throw SQLiteError(code: rc, message: message, context: "opening the database at \(path)")
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, busyTimeoutMilliseconds)
    }

    deinit {
        statements.values.forEach { $0.finalize() }
        statements.removeAll()
        sqlite3_close_v2(handle)
    }

    private func error(_ rc: Int32, _ context: String) -> SQLiteError {
        SQLiteError(code: rc, message: String(cString: sqlite3_errmsg(handle)), context: context)
    }

    /// Runs one or more statements without results.
    func execute(_ sql: String) throws {
        let rc = sqlite3_exec(handle, sql, nil, nil, nil)
        guard rc == SQLITE_OK else { throw error(rc, "running \(sql.prefix(80))") }
    }

    /// A prepared statement for `sql`, cached by its text and reset for reuse.
    func statement(_ sql: String) throws -> SQLiteStatement {
        if let cached = statements[sql] {
            cached.reset()
            return cached
        }
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil)
        guard rc == SQLITE_OK, let stmt else { throw error(rc, "preparing \(sql.prefix(120))") }
        let statement = SQLiteStatement(stmt, connection: self, sql: sql)
        statements[sql] = statement
        return statement
    }

    /// Runs `sql` with `bindings`, ignoring rows; returns the number of changed rows.
    @discardableResult
    func run(_ sql: String, _ bindings: SQLiteValue...) throws -> Int {
        let stmt = try statement(sql)
        try stmt.bind(bindings)
        defer { stmt.reset() }
        while try stmt.step() {}
        return Int(sqlite3_changes(handle))
    }

    /// The first row of `sql`, mapped by `map`, or nil when there is none.
    func first<T>(_ sql: String, _ bindings: SQLiteValue..., map: (SQLiteStatement) throws -> T) throws -> T? {
        let stmt = try statement(sql)
        try stmt.bind(bindings)
        defer { stmt.reset() }
        return try stmt.step() ? map(stmt) : nil
    }

    /// All rows of `sql`, mapped by `map`.
    func all<T>(_ sql: String, _ bindings: [SQLiteValue], map: (SQLiteStatement) throws -> T) throws -> [T] {
        let stmt = try statement(sql)
        try stmt.bind(bindings)
        defer { stmt.reset() }
        var out = [T]()
        while try stmt.step() { out.append(try map(stmt)) }
        return out
    }

    /// Rows inserted, updated or deleted by the statements completed on this connection so far
    /// (a statement that fails is undone by SQLite and counts nothing).
    var totalChanges: Int64 { sqlite3_total_changes64(handle) }

    /// Whether a transaction is open (SQLite itself rolls one back on some errors).
    var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    func failure(_ rc: Int32, _ context: String) -> SQLiteError { error(rc, context) }
}

/// A value bound to a statement parameter.
enum SQLiteValue {
    case null
    case int(Int64)
    case text(String)
    case bytes([UInt8])
}

extension SQLiteValue {
    static func int(_ v: Int) -> SQLiteValue { .int(Int64(v)) }
    static func optionalText(_ v: String?) -> SQLiteValue { v.map(SQLiteValue.text) ?? .null }
}
