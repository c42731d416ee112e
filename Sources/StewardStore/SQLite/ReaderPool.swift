import Foundation

/// Read connections: WAL lets readers run beside the writer. A reader is checked out for one
/// read and returned; connections are opened on demand and at most `maxIdle` are kept.
final class ReaderPool: @unchecked Sendable {
    private let lock = NSLock()
    private var idle: [SQLiteConnection] = []
    private let path: String
    private let maxIdle: Int

    init(path: String, maxIdle: Int = 16) {
        self.path = path
        self.maxIdle = maxIdle
    }

    func read<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        lock.lock()
        let reused = idle.popLast()
        lock.unlock()
        let connection = try reused ?? open()
        defer {
            lock.lock()
            if idle.count < maxIdle { idle.append(connection) }
            lock.unlock()
        }
        return try body(connection)
    }

    private func open() throws -> SQLiteConnection {
        let connection = try SQLiteConnection(path: path, create: false)
        try connection.execute("PRAGMA query_only = ON")
        return connection
    }

    func closeAll() {
        lock.lock()
        idle.removeAll()
        lock.unlock()
    }
}
