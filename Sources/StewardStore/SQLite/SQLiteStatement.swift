import CSQLite

/// The destructor that makes SQLite copy bound text and blobs.
private let SQLITE_TRANSIENT = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A prepared statement owned by a ``SQLiteConnection``.
final class SQLiteStatement {
    private let handle: OpaquePointer
    private unowned let connection: SQLiteConnection
    let sql: String

    init(_ handle: OpaquePointer, connection: SQLiteConnection, sql: String) {
        self.handle = handle
        self.connection = connection
        self.sql = sql
    }

    func finalize() { sqlite3_finalize(handle) }

    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    func bind(_ values: [SQLiteValue]) throws {
        for (i, value) in values.enumerated() {
            let index = Int32(i + 1)
            let rc: Int32
            switch value {
            case .null: rc = sqlite3_bind_null(handle, index)
            case .int(let v): rc = sqlite3_bind_int64(handle, index, v)
            case .text(let s): rc = sqlite3_bind_text(handle, index, s, -1, SQLITE_TRANSIENT)
            case .bytes(let b):
                rc = b.withUnsafeBytes { raw in
                    // Bytes are stored as TEXT (JSON is UTF-8): the columns are declared TEXT.
                    sqlite3_bind_text(
                        handle, index, raw.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(raw.count),
                        SQLITE_TRANSIENT)
                }
            }
            guard rc == SQLITE_OK else { throw connection.failure(rc, "binding parameter \(index) of \(sql.prefix(120))") }
        }
    }

    /// Advances to the next row; false when done.
    func step() throws -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw connection.failure(rc, "running \(sql.prefix(120))")
        }
    }

    func int(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    func text(_ column: Int32) -> String {
        guard let p = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: p, count: count), as: UTF8.self)
    }

    /// The bytes of a TEXT column (no copy into a String).
    func bytes(_ column: Int32) -> [UInt8] {
        guard let p = sqlite3_column_text(handle, column) else { return [] }
        let count = Int(sqlite3_column_bytes(handle, column))
        return Array(UnsafeBufferPointer(start: p, count: count))
    }

    /// Appends the bytes of a TEXT column to `out`.
    func appendBytes(_ column: Int32, to out: inout [UInt8]) {
        guard let p = sqlite3_column_text(handle, column) else { return }
        let count = Int(sqlite3_column_bytes(handle, column))
        out.append(contentsOf: UnsafeBufferPointer(start: p, count: count))
    }
}
