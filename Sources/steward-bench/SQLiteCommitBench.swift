import CSQLite
import Foundation

/// The durable-commit ceiling of the disk: single-row SQLite transactions in WAL mode with
/// `synchronous=FULL`, one after another, each committed before the next begins.
enum SQLiteCommitBench {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Commits single-row transactions into a new database at `path` for `duration`.
    static func run(path: String, duration: Duration) throws -> LatencyStats {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        var handle: OpaquePointer?
        guard sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK, let db = handle
        else {
            throw Failure(description: "cannot open \(path)")
        }
        defer { sqlite3_close_v2(db) }
        func exec(_ sql: String) throws {
            var message: UnsafeMutablePointer<CChar>?
            if sqlite3_exec(db, sql, nil, nil, &message) != SQLITE_OK {
                let text = message.map { String(cString: $0) } ?? "unknown error"
                sqlite3_free(message)
                throw Failure(description: "\(sql): \(text)")
            }
        }
        try exec("PRAGMA journal_mode=WAL")
        try exec("PRAGMA synchronous=FULL")
        try exec("CREATE TABLE rows (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, body BLOB NOT NULL)")
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(db, "INSERT INTO rows (name, body) VALUES (?, ?)", -1, &statement, nil) == SQLITE_OK, let insert = statement else {
            throw Failure(description: "cannot prepare the insert")
        }
        defer { sqlite3_finalize(insert) }
        let body = [UInt8](repeating: 0x61, count: 512)
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + duration
        var latencies: [UInt64] = []
        var index = 0
        while clock.now < deadline {
            let begin = clock.now
            try exec("BEGIN IMMEDIATE")
            sqlite3_bind_text(insert, 1, "row-\(index)", -1, transient)
            _ = body.withUnsafeBytes { sqlite3_bind_blob(insert, 2, $0.baseAddress, Int32($0.count), transient) }
            guard sqlite3_step(insert) == SQLITE_DONE else {
                throw Failure(description: "insert failed: \(String(cString: sqlite3_errmsg(db)))")
            }
            sqlite3_reset(insert)
            try exec("COMMIT")
            let elapsed = clock.now - begin
            latencies.append(UInt64(elapsed.components.seconds) * 1_000_000_000 + UInt64(elapsed.components.attoseconds / 1_000_000_000))
            index += 1
        }
        let elapsed = clock.now - start
        return LatencyStats(
            operation: "raw SQLite commit (WAL, FULL)", latencies: latencies,
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }
}
