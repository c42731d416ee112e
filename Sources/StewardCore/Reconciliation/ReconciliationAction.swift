/// What a reconciliation process asks a reconciler to do (seed 000's `reconciliation.action`).
public enum ReconciliationAction: String, Sendable, CaseIterable, Codable {
    /// The service was added: `old` is null, `new` is the service.
    case create
    /// The spec or metadata changed: `old` is the state the reconciler last saw, `new` the current one.
    case update
    /// The service is being removed: `old` is its last state, `new` is null. The service stays
    /// (marked deleting) until the process closes successfully.
    case delete
    /// A periodic or requested re-check: `old` and `new` are both the current state.
    case resync
}

/// The life of a process: `waiting` → `running` (leased to one executor) → `succeeded`, or back
/// to `waiting` on failure or lease expiry. `superseded` and `cancelled` are terminal states of
/// processes whose work moved into another process or became moot.
public enum ProcessState: String, Sendable, CaseIterable, Codable {
    /// Queued; assigned once its `notBefore` has passed and the service has no running process.
    case waiting
    /// Assigned to an executor that holds a lease on it.
    case running
    /// Closed successfully.
    case succeeded
    /// Its work was merged into a newer waiting process of the same service.
    case superseded
    /// The service was removed with `--force`; nobody will reconcile it.
    case cancelled
}
