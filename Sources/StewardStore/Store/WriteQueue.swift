import Foundation
import Logging

/// The single writer: a dedicated thread that owns the write connection and commits pending
/// writes in groups.
///
/// A write that fails (a conflict, a validation error) fails alone while the others of its group
/// commit. Most failing writes fail before they change anything, so the writes of a group run
/// without savepoints; when one fails after changing rows, the group is rolled back and run again
/// with each write in its own SAVEPOINT, which rolls the failed write back alone. A writer is
/// resumed only after the group's COMMIT has returned, which with `synchronous=FULL` means its
/// write is on disk. While one group is being committed, new writes queue up and form the next
/// group: under load many writes share one fsync.
final class WriteQueue: @unchecked Sendable {
    /// One queued write.
    private struct Job {
        /// Runs the write on the writer thread; throws to undo it. May run a second time (in a
        /// savepoint) when its group is run again, so it changes nothing outside the
        /// transaction (later work goes to ``WriteTransaction/onCommit(_:)``).
        let execute: (WriteTransaction) throws -> Void
        /// Resumes the caller after the commit.
        let succeed: () -> Void
        let fail: (Error) -> Void
    }

    private let connection: SQLiteConnection
    private let condition = NSCondition()
    private var pending: [Job] = []
    private var stopping = false
    private var finished = false
    private let maxGroupSize: Int
    private let logger: Logger
    /// State that lives on the writer thread only (caches of definitions).
    let state: WriterState

    /// Runs after each committed group (to nudge the checkpointer).
    private let afterGroup: @Sendable () -> Void

    init(
        connection: SQLiteConnection, state: WriterState, maxGroupSize: Int = 512, logger: Logger,
        afterGroup: @escaping @Sendable () -> Void = {}
    ) {
        self.afterGroup = afterGroup
        self.connection = connection
        self.state = state
        self.maxGroupSize = maxGroupSize
        self.logger = logger
    }

    /// Starts the writer thread.
    func start() {
        let thread = Thread { [self] in
            ThreadName.setCurrent("steward-writer")
            self.loop()
        }
        thread.name = "steward-store-writer"
        thread.start()
    }

    /// Finishes the writes queued so far, then stops the thread.
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }

    /// Runs `body` in a transaction on the writer thread; returns its result once committed.
    func write<T: Sendable>(_ body: @escaping @Sendable (WriteTransaction) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
            let box = ResultBox<T>()
            let job = Job(
                execute: { tx in box.value = try body(tx) },
                succeed: { continuation.resume(returning: box.value!) },
                fail: { continuation.resume(throwing: $0) })
            condition.lock()
            if stopping {
                condition.unlock()
                continuation.resume(throwing: StoreClosedError())
                return
            }
            pending.append(job)
            condition.signal()
            condition.unlock()
        }
    }

    private func loop() {
        while true {
            condition.lock()
            while pending.isEmpty && !stopping { condition.wait() }
            if pending.isEmpty && stopping {
                finished = true
                condition.broadcast()
                condition.unlock()
                return
            }
            let count = min(pending.count, maxGroupSize)
            let group = Array(pending.prefix(count))
            pending.removeFirst(count)
            condition.unlock()
            commit(group)
        }
    }

    /// The number of writes waiting for the writer thread.
    var queuedCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return pending.count
    }

    /// Commits `group` in one transaction, its writes run one after another without savepoints.
    ///
    /// A write that throws without having changed a row (SQLite's change counter is where it was
    /// and the transaction is still open) is simply refused: nothing of it is in the transaction.
    /// A write that throws after changing rows cannot be undone alone, so the group starts over
    /// in ``commitIsolatingEachWrite(_:)``. Savepoints cost a copy of every page a write touches,
    /// which the common case, where every write succeeds, no longer pays.
    private func commit(_ group: [Job]) {
        // Transaction control runs through the connection's cached prepared statements:
        // sqlite3_exec would parse the same text again for every write.
        guard begin(group) else { return }
        var succeeded: [(Job, WriteTransaction)] = []
        var failed: [(Job, Error)] = []
        for job in group {
            let tx = WriteTransaction(connection: connection, state: state)
            let changesBefore = connection.totalChanges
            do {
                try job.execute(tx)
                tx.applyWriterStateChanges()
                succeeded.append((job, tx))
            } catch {
                if connection.totalChanges == changesBefore && connection.isInTransaction {
                    failed.append((job, error))
                    continue
                }
                logger.debug("store: a write failed after changing rows; running its group of \(group.count) again with savepoints")
                if connection.isInTransaction { try? connection.execute("ROLLBACK") }
                // The caches may hold what the rolled-back writes wrote.
                state.invalidate()
                commitIsolatingEachWrite(group)
                return
            }
        }
        commitAndFinish(group.count, succeeded: succeeded, failed: failed)
    }

    /// Opens the group's transaction; on failure fails every write of the group and returns false.
    private func begin(_ group: [Job]) -> Bool {
        do {
            try connection.run("BEGIN IMMEDIATE")
            return true
        } catch {
            logger.error("store: cannot begin a write transaction: \(error)")
            group.forEach { $0.fail(error) }
            return false
        }
    }

    /// Commits `group` with each write in its own SAVEPOINT, so that a write that fails after
    /// changing rows rolls back alone.
    private func commitIsolatingEachWrite(_ group: [Job]) {
        guard begin(group) else { return }
        var succeeded: [(Job, WriteTransaction)] = []
        var failed: [(Job, Error)] = []
        for (index, job) in group.enumerated() {
            let tx = WriteTransaction(connection: connection, state: state)
            do {
                try connection.run("SAVEPOINT write")
            } catch {
                failed.append((job, error))
                continue
            }
            do {
                try job.execute(tx)
                try connection.run("RELEASE write")
                tx.applyWriterStateChanges()
                succeeded.append((job, tx))
            } catch {
                do {
                    try connection.run("ROLLBACK TO write")
                    try connection.run("RELEASE write")
                    failed.append((job, error))
                } catch let rollbackError {
                    // The transaction is unusable: give up on the whole group.
                    logger.error("store: rollback to savepoint failed: \(rollbackError)")
                    try? connection.execute("ROLLBACK")
                    state.invalidate()
                    failed.append((job, error))
                    for (other, _) in succeeded { failed.append((other, rollbackError)) }
                    finish(succeeded: [], failed: failed, remaining: group[(index + 1)...], cause: rollbackError)
                    return
                }
            }
        }
        commitAndFinish(group.count, succeeded: succeeded, failed: failed)
    }

    /// COMMITs the open transaction, then resumes the writers of the group (`count` writes).
    private func commitAndFinish(_ count: Int, succeeded: [(Job, WriteTransaction)], failed: [(Job, Error)]) {
        do {
            try connection.run("COMMIT")
        } catch {
            logger.error("store: commit of \(count) write(s) failed: \(error)")
            try? connection.execute("ROLLBACK")
            state.invalidate()
            for (job, _) in succeeded { job.fail(error) }
            for (job, error) in failed { job.fail(error) }
            return
        }
        finish(succeeded: succeeded, failed: failed, remaining: [], cause: nil)
        afterGroup()
    }

    private func finish(
        succeeded: [(Job, WriteTransaction)], failed: [(Job, Error)], remaining: ArraySlice<Job>, cause: Error?
    ) {
        for (job, tx) in succeeded {
            tx.runAfterCommit()
            job.succeed()
        }
        for (job, error) in failed { job.fail(error) }
        if let cause { for job in remaining { job.fail(cause) } }
    }
}

/// Holds a write's result between its execution and the commit.
private final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}

/// The store was closed; no more writes are taken.
struct StoreClosedError: Error, CustomStringConvertible {
    var description: String { "the store is closed" }
}
