import Foundation
import Logging

/// The single writer: a dedicated thread that owns the write connection and commits pending
/// writes in groups.
///
/// Each write runs inside its own SAVEPOINT, so a write that fails (a conflict, a validation
/// error) rolls back alone while the others of its group commit. A writer is resumed only after
/// the group's COMMIT has returned, which with `synchronous=FULL` means its write is on disk.
/// While one group is being committed, new writes queue up and form the next group: under load
/// many writes share one fsync.
final class WriteQueue: @unchecked Sendable {
    /// One queued write.
    private struct Job {
        /// Runs the write on the writer thread; throws to roll back its savepoint.
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

    private func commit(_ group: [Job]) {
        // Transaction control runs through the connection's cached prepared statements:
        // sqlite3_exec would parse the same text again for every write.
        do {
            try connection.run("BEGIN IMMEDIATE")
        } catch {
            logger.error("store: cannot begin a write transaction: \(error)")
            group.forEach { $0.fail(error) }
            return
        }
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
                    try connection.execute("ROLLBACK TO write")
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
        do {
            try connection.run("COMMIT")
        } catch {
            logger.error("store: commit of \(group.count) write(s) failed: \(error)")
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
