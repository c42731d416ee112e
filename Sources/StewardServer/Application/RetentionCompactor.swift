import Foundation
import Logging
import ServiceLifecycle
import StewardCore
import StewardStore

/// Deletes what outlived the retention window, every ``interval`` while the server runs: events
/// of the event log (see ``SQLiteStore/compactEvents(before:batchSize:)``: the newest event of
/// each namespace stays, and a watch from a compacted revision gets 410), and the finished
/// processes of services removed before it (see
/// ``SQLiteStore/purgeProcessesOfRemovedServices(closedBefore:batchSize:)``; a service that
/// exists keeps its newest finished processes, bounded by `--keep-finished-processes`).
struct RetentionCompactor: ServiceLifecycle.Service {
    let store: SQLiteStore
    /// How long events are kept.
    let retention: Duration
    /// How many events one write deletes at most.
    let batchSize: Int
    let clock: @Sendable () -> Date
    let logger: Logger

    init(
        store: SQLiteStore, retention: Duration, batchSize: Int = SQLiteStore.defaultEventCompactionBatchSize,
        clock: @escaping @Sendable () -> Date = { Date() }, logger: Logger
    ) {
        self.store = store
        self.retention = retention
        self.batchSize = batchSize
        self.clock = clock
        self.logger = logger
    }

    /// Time between compactions: a quarter of the retention, at most a minute, at least 10 ms.
    var interval: Duration { max(min(retention / 4, .seconds(60)), .milliseconds(10)) }

    /// What was written (or finished) before this moment, in milliseconds since 1970, is due
    /// for deletion.
    func cutoffMS() -> Int64 {
        clock().millisecondsSince1970 - retention.milliseconds
    }

    /// Deletes the events due now.
    @discardableResult
    func compactOnce() async throws -> SQLiteStore.EventCompactionResult {
        let result = try await store.compactEvents(before: Timestamp(secondsSince1970: cutoffMS() / 1000), batchSize: batchSize)
        if result.deleted > 0 {
            logger.debug("event log: deleted \(result.deleted) events older than \(retention) in \(result.batches) writes")
        }
        return result
    }

    /// Deletes the finished processes of removed services that closed before the cutoff.
    @discardableResult
    func purgeOnce() async throws -> Int {
        let deleted = try await store.purgeProcessesOfRemovedServices(
            closedBefore: cutoffMS(), batchSize: batchSize)
        if deleted > 0 {
            logger.debug("processes: deleted \(deleted) finished processes of services removed more than \(retention) ago")
        }
        return deleted
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await compactOnce()
                    try await purgeOnce()
                } catch where !Task.isCancelled {
                    logger.error("retention: compaction failed: \(error)")
                } catch {
                    // Shutting down: the store may be closing.
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
