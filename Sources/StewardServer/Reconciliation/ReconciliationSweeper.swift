import Foundation
import Logging
import ServiceLifecycle
import StewardCore
import StewardStore

/// Returns processes whose lease ran out to the queue and enqueues due resyncs, sleeping until
/// the next deadline (at most the configured sweep interval). At start it gives every running
/// process a fresh lease, so that executors that outlived a server restart keep their work.
struct ReconciliationSweeper: ServiceLifecycle.Service {
    let store: any ReconciliationStore
    let configuration: ReconciliationConfiguration
    let clock: @Sendable () -> Date
    let logger: Logger

    func nowMS() -> Int64 { clock().millisecondsSince1970 }

    func run() async throws {
        do {
            try await store.extendAllLeases(leaseMS: configuration.leaseDuration.milliseconds, now: nowMS())
        } catch {
            logger.error("reconciliation: cannot renew the leases of running processes at start: \(error)")
        }
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                var sleepMS = configuration.sweepInterval.milliseconds
                do {
                    let now = nowMS()
                    _ = try await store.expireLeases(now: now)
                    _ = try await store.enqueueDueResyncs(now: now)
                    if let next = try await store.nextReconciliationDeadline() {
                        sleepMS = min(sleepMS, max(5, next - nowMS()))
                    }
                } catch {
                    logger.error("reconciliation: sweep failed: \(error)")
                }
                try? await Task.sleep(for: .milliseconds(sleepMS))
            }
        }
        store.processSignals.signalAll()
    }
}
