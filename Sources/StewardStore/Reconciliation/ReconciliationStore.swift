import JSONSchema
import StewardCore

/// The durable work queue of reconciliation: executors, processes, their leases and the
/// per-service backoff.
///
/// Every method that depends on time takes `now` (milliseconds since 1970) from the caller's
/// clock, so leases and backoff are tested without sleeping. Processes are enqueued by the
/// service writes themselves, in the same transaction as the change.
public protocol ReconciliationStore: Sendable {
    /// Wakes long-polling executors when processes become available.
    var processSignals: ProcessSignals { get }

    /// Registers (or registers again) an executor. Registering again under the same name by the
    /// same identity returns its running processes to the queue (the executor restarted and has
    /// forgotten them). 409 when the name is held by another identity.
    func registerExecutor(
        name: String, executorType: String, node: String, identity: String, in namespace: String, now: Int64
    ) async throws -> Executor
    func executors(in namespace: String) async throws -> [Executor]
    func executor(named name: String, in namespace: String) async throws -> Executor?
    /// Whether `identity` registered an executor of type `executorType` in the namespace (such an
    /// identity may write the status of the services that type reconciles).
    func hasExecutor(ofType executorType: String, registeredBy identity: String, in namespace: String) async throws -> Bool
    /// Removes an executor; its running processes go back to the queue.
    func removeExecutor(named name: String, in namespace: String) async throws

    /// Leases the oldest ready process of the executor's type whose service has no running
    /// process, and records the executor's heartbeat, in one write. Returns nil and the time the
    /// next backoff ends (if any) when there is none. 404 when the executor is not registered.
    func assignProcess(toExecutor name: String, in namespace: String, leaseMS: Int64, now: Int64) async throws -> (
        process: ReconciliationProcess?, nextReadyAt: Int64?
    )
    /// The later looks of a long poll: like ``assignProcess(toExecutor:in:leaseMS:now:)``, but it
    /// first looks on a read connection and enters a write only when a process is ready to
    /// lease, and it records no heartbeat (the poll's first look did). Executors woken while
    /// nothing can be assigned to them therefore do not write.
    func assignProcessIfReady(toExecutor name: String, in namespace: String, leaseMS: Int64, now: Int64)
        async throws -> (process: ReconciliationProcess?, nextReadyAt: Int64?)
    /// Extends the lease of a running process held by the executor `executor`, which `caller`
    /// registered, and records that executor's heartbeat. 404 when the process is missing, 409
    /// when it is not running (it lost the lease or was closed) or another executor holds it now
    /// (the message names the holder), 403 when another identity's executor holds it.
    func renewLease(
        ofProcess id: String, heldBy caller: String, executor: String, in namespace: String, leaseMS: Int64, now: Int64
    ) async throws -> ReconciliationProcess
    /// Closes a running process held by the executor `executor`, which `caller` registered (404,
    /// 409 and 403 as for ``renewLease(ofProcess:heldBy:executor:in:leaseMS:now:)``). Success
    /// finishes it (and, for `delete`, removes the service); failure queues it again after the
    /// service's backoff and reports the error on the service.
    func closeProcess(
        _ id: String, heldBy caller: String, executor: String, in namespace: String, succeeded: Bool, error: String?,
        backoff: BackoffPolicy, now: Int64
    ) async throws -> ReconciliationProcess
    /// Returns the running processes whose lease ran out to the queue; returns the
    /// (namespace, executor type) pairs that have work again.
    func expireLeases(now: Int64) async throws -> [(namespace: String, executorType: String)]
    /// Enqueues a `resync` for each service whose `handler.reconcileInterval` has passed since
    /// its last successful reconciliation.
    func enqueueDueResyncs(now: Int64) async throws -> [(namespace: String, executorType: String)]
    /// Gives every running process a fresh lease (at server start, so that executors that
    /// outlived a restart can heartbeat before their leases run out).
    func extendAllLeases(leaseMS: Int64, now: Int64) async throws
    /// The earliest lease expiry or resync due time, for the sweeper's sleep.
    func nextReconciliationDeadline() async throws -> Int64?

    /// Enqueues a `resync` of a service now (`steward service reconcile`).
    func requestReconciliation(ofService name: String, in namespace: String, now: Int64) async throws
        -> ReconciliationProcess
    /// Removes a service. When its kind has a handler and `force` is false, the service is
    /// marked deleting (deletionTimestamp and the reconciler finalizer) and a `delete` process
    /// is enqueued; it disappears when that process closes successfully. Otherwise it is removed
    /// at once. Returns the service as it now is (or was).
    func removeService(named name: String, in namespace: String, by identity: String, force: Bool) async throws
        -> (service: Service, removed: Bool)

    /// Processes of `namespace`, newest first, optionally of one service and in one state, a
    /// page at a time (the key orders the processes; smaller is older).
    func processes(in namespace: String, service: String?, state: ProcessState?, page: PageRequest<Int64>)
        async throws -> Page<ReconciliationProcess, Int64>
    func process(id: String, in namespace: String) async throws -> ReconciliationProcess?
    /// The ids of the processes of `namespace` that start with `prefix` (case-insensitive), in
    /// order, at most `limit`.
    func processIDs(withPrefix prefix: String, in namespace: String, limit: Int) async throws -> [String]
    /// For each of `ids`, the length of its shortest prefix that no other process id of the
    /// store starts with (so unique in its namespace too).
    func uniquePrefixLengths(ofProcessIDs ids: [String]) async throws -> [Int]
    /// The newest process of a service and the result of its last closed one.
    func reconciliationSummary(ofService name: String, in namespace: String) async throws -> ReconciliationSummary?
}

extension ReconciliationStore {
    /// The newest `limit` processes of `namespace`, optionally of one service and in one state.
    public func processes(in namespace: String, service: String?, state: ProcessState?, limit: Int) async throws
        -> [ReconciliationProcess]
    {
        try await processes(in: namespace, service: service, state: state, page: PageRequest(limit: limit)).items
    }
}

/// What `steward service get` shows about a service's reconciliation.
public struct ReconciliationSummary: Sendable, Equatable {
    /// The newest process of the service.
    public var latest: ReconciliationProcess?
    /// Consecutive failures since the last success.
    public var failures: Int
    /// `succeeded` or `failed`, for the last closed attempt.
    public var lastResult: String?
    public var lastError: String?
    public var lastClosedAtMS: Int64?

    public init(
        latest: ReconciliationProcess?, failures: Int, lastResult: String?, lastError: String?, lastClosedAtMS: Int64?
    ) {
        self.latest = latest
        self.failures = failures
        self.lastResult = lastResult
        self.lastError = lastError
        self.lastClosedAtMS = lastClosedAtMS
    }

    public var json: JSON {
        var o = JSONObject()
        o["latest"] = latest?.json ?? .null
        o["failures"] = .int(failures)
        o["lastResult"] = lastResult.map(JSON.string) ?? .null
        o["lastError"] = lastError.map(JSON.string) ?? .null
        o["lastClosedAt"] = lastClosedAtMS.map { .string(Timestamp(secondsSince1970: $0 / 1000).rfc3339) } ?? .null
        return .object(o)
    }
}
