import CSQLite
import Foundation
import Logging

/// Copies the WAL back into the database file on its own thread and connection, so that the
/// writer's commits do not pay for checkpoints.
///
/// The writer's automatic checkpoint is raised to a high threshold (a safety net should this
/// thread fall behind). After each committed group the writer calls ``nudge()``; at most every
/// `interval` this thread runs a PASSIVE checkpoint, which never blocks the writer or readers.
final class Checkpointer: @unchecked Sendable {
    private let path: String
    private let interval: TimeInterval
    private let logger: Logger
    private let condition = NSCondition()
    private var pending = false
    private var stopping = false
    private var finished = false

    init(path: String, interval: TimeInterval = 0.1, logger: Logger) {
        self.path = path
        self.interval = interval
        self.logger = logger
    }

    func start() throws {
        let connection = try SQLiteConnection(path: path, create: false)
        try connection.execute("PRAGMA synchronous = FULL")
        let thread = Thread { [self] in
            ThreadName.setCurrent("steward-ckpt")
            self.loop(connection)
        }
        thread.name = "steward-store-checkpointer"
        thread.start()
    }

    /// Asks for a checkpoint soon (called after each commit).
    func nudge() {
        condition.lock()
        if !pending {
            pending = true
            condition.signal()
        }
        condition.unlock()
    }

    /// Stops the thread (after a last checkpoint).
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }

    private func loop(_ connection: SQLiteConnection) {
        var lastRun = Date.distantPast
        while true {
            condition.lock()
            while !pending && !stopping { condition.wait() }
            let stop = stopping
            pending = false
            condition.unlock()
            if stop { break }
            let wait = interval - Date().timeIntervalSince(lastRun)
            if wait > 0 { Thread.sleep(forTimeInterval: wait) }
            lastRun = Date()
            checkpoint(connection)
        }
        checkpoint(connection)
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    private func checkpoint(_ connection: SQLiteConnection) {
        do {
            try connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
        } catch {
            logger.warning("store: WAL checkpoint failed (the writer's own checkpoint remains): \(error)")
        }
    }
}
