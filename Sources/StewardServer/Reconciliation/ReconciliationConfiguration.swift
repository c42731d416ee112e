import StewardCore
import StewardStore

/// How the server runs the reconciliation work queue.
public struct ReconciliationConfiguration: Sendable {
    /// How long an assigned process stays with its executor without a heartbeat; after that it
    /// goes back to the queue and another executor gets it.
    public var leaseDuration: Duration = .seconds(30)
    /// The per-service delay after consecutive failures (100 ms doubling to 5 minutes).
    public var backoff = BackoffPolicy()
    /// The longest an executor may wait in one assign request.
    public var maxAssignWait: Duration = .seconds(60)
    /// The longest the sweeper sleeps between looks for expired leases and due resyncs.
    public var sweepInterval: Duration = .seconds(1)
    /// How many finished processes (succeeded, superseded, cancelled) each service keeps, newest
    /// first; older ones are deleted in the write that finishes another. 0 keeps none; waiting
    /// and running processes are always kept.
    public var keepFinishedProcesses = SQLiteStore.defaultKeepFinishedProcesses

    public init() {}
}
