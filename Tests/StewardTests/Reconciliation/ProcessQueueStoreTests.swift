import Foundation
import JSONSchema
import StewardCore
import StewardStore
import Testing

/// The durable work queue on a real SQLite file, with an explicit clock (no sleeping).
@Suite("Reconciliation store: processes, leases, backoff, deletion")
struct ProcessQueueStoreTests {
    let owner = Identity.generate().id
    let executorIdentity = Identity.generate().id
    static let t0: Int64 = 1_800_000_000_000
    static let lease: Int64 = 10_000

    static let admission: ServiceAdmission = { _, service in service }

    static let definition: JSON = [
        "metadata": ["name": "webs.example.io"],
        "spec": ["names": ["kind": "Web"], "handler": ["executorType": "web-reconciler", "reconcileInterval": 60]],
    ]

    func withStore<T>(_ body: (SQLiteStore, String) async throws -> T) async throws -> T {
        let directory = try TemporaryDirectory("steward-processes")
        defer { directory.remove() }
        let path = directory.path + "/steward.db"
        let store = try SQLiteStore(path: path)
        defer { store.close() }
        _ = try await store.ensureNamespace("default", owner: owner)
        _ = try await store.createDefinition(try ServiceDefinition(json: Self.definition), in: "default")
        _ = try await store.registerExecutor(
            name: "e1", executorType: "web-reconciler", node: "n1", identity: executorIdentity, in: "default", now: Self.t0)
        return try await body(store, path)
    }

    func web(_ name: String, replicas: Int) -> Service {
        Service(kind: "Web", metadata: ServiceMetadata(name: name), spec: ["replicas": .int(replicas)])
    }

    func create(_ store: SQLiteStore, _ name: String, replicas: Int = 1) async throws -> Service {
        try await store.createService(web(name, replicas: replicas), in: "default", by: owner, admission: Self.admission)
    }

    func update(_ store: SQLiteStore, _ service: Service, replicas: Int) async throws -> Service {
        var changed = service
        changed.spec = ["replicas": .int(replicas)]
        changed.metadata.resourceVersion = nil
        return try await store.updateService(changed, in: "default", by: owner, admission: Self.admission)
    }

    /// Assigns the next ready process to `e1` and closes it successfully, at `now`.
    @discardableResult
    func reconcileNext(_ store: SQLiteStore, now: Int64) async throws -> ReconciliationProcess {
        let process = try #require(
            try await store.assignProcess(toExecutor: "e1", in: "default", leaseMS: Self.lease, now: now).process)
        return try await store.closeProcess(
            process.id, heldBy: executorIdentity, executor: "e1", in: "default", succeeded: true, error: nil, backoff: BackoffPolicy(),
            now: now)
    }

    @Test func createEnqueuesACreateProcessInTheSameWrite() async throws {
        try await withStore { store, _ in
            let service = try await create(store, "a")
            let processes = try await store.processes(in: "default", service: "a", state: nil, limit: 10)
            #expect(processes.count == 1)
            let process = try #require(processes.first)
            #expect(process.state == .waiting)
            #expect(process.executorType == "web-reconciler")
            #expect(process.funcName == "reconcile")
            #expect(process.reconciliation.action == .create)
            #expect(process.reconciliation.old == JSON?.none)
            #expect(process.reconciliation.new == service.json)
        }
    }

    @Test func aStatusWriteEnqueuesNothingAndABurstOfUpdatesMergesIntoOneProcess() async throws {
        try await withStore { store, _ in
            var service = try await create(store, "a")
            _ = try await store.updateServiceStatus(
                named: "a", in: "default", status: ["observedGeneration": 1], expectedResourceVersion: nil)
            #expect(try await store.processes(in: "default", service: "a", state: nil, limit: 10).count == 1)
            // The create is taken and succeeds; then 100 updates arrive.
            try await reconcileNext(store, now: Self.t0 + 1)
            let before = service
            for replicas in 2...101 { service = try await update(store, service, replicas: replicas) }
            let waiting = try await store.processes(in: "default", service: "a", state: .waiting, limit: 10)
            #expect(waiting.count == 1)
            #expect(waiting.first?.reconciliation.action == .update)
            #expect(waiting.first?.reconciliation.old?["spec"]?["replicas"] == before.spec["replicas"])
            #expect(waiting.first?.reconciliation.new?["spec"]?["replicas"] == 101)
        }
    }

    @Test func atMostOneRunningProcessPerServiceAndTheLeaseReturnsItToTheQueue() async throws {
        try await withStore { store, _ in
            let service = try await create(store, "a")
            let first = try #require(
                try await store.assignProcess(toExecutor: "e1", in: "default", leaseMS: Self.lease, now: Self.t0).process)
            #expect(first.state == .running && first.attempt == 1 && first.executorName == "e1")
            _ = try await update(store, service, replicas: 3)
            _ = try await store.registerExecutor(
                name: "e2", executorType: "web-reconciler", node: "n2", identity: executorIdentity, in: "default",
                now: Self.t0)
            // The update waits: the service's create still runs.
            #expect(try await store.assignProcess(toExecutor: "e2", in: "default", leaseMS: Self.lease, now: Self.t0 + 1).process == nil)
            // Heartbeats keep the lease; without them it runs out.
            _ = try await store.renewLease(ofProcess: first.id, heldBy: executorIdentity, executor: "e1", in: "default", leaseMS: Self.lease, now: Self.t0 + 5_000)
            #expect(try await store.expireLeases(now: Self.t0 + Self.lease + 1).isEmpty)
            let woken = try await store.expireLeases(now: Self.t0 + 5_000 + Self.lease)
            #expect(woken.map(\.executorType) == ["web-reconciler"])
            // The expired create merged into the waiting update: one create with the newest spec.
            let next = try #require(
                try await store.assignProcess(toExecutor: "e2", in: "default", leaseMS: Self.lease, now: Self.t0 + 16_000).process)
            #expect(next.reconciliation.action == .create)
            #expect(next.reconciliation.new?["spec"]?["replicas"] == 3)
            #expect(try await store.process(id: first.id, in: "default")?.state == .superseded)
            // The first executor lost it: heartbeat and close are refused.
            await #expect(throws: StewardError.self) {
                try await store.renewLease(ofProcess: first.id, heldBy: executorIdentity, executor: "e1", in: "default", leaseMS: Self.lease, now: Self.t0 + 16_001)
            }
        }
    }

    @Test func hasExecutorMatchesTypeIdentityAndNamespace() async throws {
        try await withStore { store, _ in
            #expect(try await store.hasExecutor(ofType: "web-reconciler", registeredBy: executorIdentity, in: "default"))
            #expect(try await !store.hasExecutor(ofType: "db-reconciler", registeredBy: executorIdentity, in: "default"))
            #expect(try await !store.hasExecutor(ofType: "web-reconciler", registeredBy: owner, in: "default"))
            _ = try await store.ensureNamespace("other", owner: owner)
            #expect(try await !store.hasExecutor(ofType: "web-reconciler", registeredBy: executorIdentity, in: "other"))
            try await store.removeExecutor(named: "e1", in: "default")
            #expect(try await !store.hasExecutor(ofType: "web-reconciler", registeredBy: executorIdentity, in: "default"))
        }
    }

    @Test func theLookAfterAWakeUpLeasesOnlyWhatAssignWouldAndRecordsNoHeartbeat() async throws {
        try await withStore { store, _ in
            func heartbeat() async throws -> Int64? {
                try await store.executor(named: "e1", in: "default")?.lastHeartbeatAtMS
            }
            func look(at now: Int64) async throws -> (process: ReconciliationProcess?, nextReadyAt: Int64?) {
                try await store.assignProcessIfReady(toExecutor: "e1", in: "default", leaseMS: Self.lease, now: now)
            }
            #expect(try await look(at: Self.t0 + 1) == (nil, nil))
            let service = try await create(store, "a")
            let created = try #require(try await look(at: Self.t0 + 2).process)
            #expect(created.state == .running && created.executorName == "e1" && created.reconciliation.action == .create)
            #expect(created.leaseExpiresAtMS == Self.t0 + 2 + Self.lease)
            // The service's update waits while its create runs, even after the create's lease ran out.
            _ = try await update(store, service, replicas: 2)
            #expect(try await look(at: Self.t0 + 3).process == nil)
            #expect(try await look(at: Self.t0 + 3 + Self.lease).process == nil)
            // A failure puts the merged process in backoff: not before it ends.
            let policy = BackoffPolicy(initial: .milliseconds(100), maximum: .milliseconds(100))
            let failed = try await store.closeProcess(
                created.id, heldBy: executorIdentity, executor: "e1", in: "default", succeeded: false, error: "boom", backoff: policy,
                now: Self.t0 + 4)
            #expect(try await look(at: Self.t0 + 50) == (nil, Self.t0 + 104))
            let retried = try #require(try await look(at: Self.t0 + 104).process)
            #expect(retried.reconciliation.action == .create)
            #expect(retried.reconciliation.new?["spec"]?["replicas"] == 2)
            #expect(failed.state == .superseded)
            // Only the heartbeat of registration and the holder's close: the looks recorded none.
            #expect(try await heartbeat() == Self.t0 + 4)
            await #expect(
                throws: StewardError.notFound("executor 'ghost' is not registered in namespace 'default'; register it first")
            ) {
                try await store.assignProcessIfReady(toExecutor: "ghost", in: "default", leaseMS: Self.lease, now: Self.t0)
            }
        }
    }

    @Test func onlyTheIdentityOfTheHoldingExecutorMayHeartbeatOrCloseAProcess() async throws {
        try await withStore { store, _ in
            _ = try await create(store, "a")
            let process = try #require(
                try await store.assignProcess(toExecutor: "e1", in: "default", leaseMS: Self.lease, now: Self.t0).process)
            let stranger = Identity.generate().id
            await #expect(throws: StewardError.notFound("process 'missing' not found in namespace 'default'")) {
                try await store.renewLease(ofProcess: "missing", heldBy: executorIdentity, executor: "e1", in: "default", leaseMS: Self.lease, now: Self.t0)
            }
            let notYours = StewardError.forbidden("process '\(process.id)' is held by executor 'e1', which is not yours")
            await #expect(throws: notYours) {
                try await store.renewLease(ofProcess: process.id, heldBy: stranger, executor: "e1", in: "default", leaseMS: Self.lease, now: Self.t0 + 1)
            }
            await #expect(throws: notYours) {
                try await store.closeProcess(
                    process.id, heldBy: stranger, executor: "e1", in: "default", succeeded: true, error: nil, backoff: BackoffPolicy(),
                    now: Self.t0 + 1)
            }
            // The refused calls changed nothing; the holder's heartbeat extends the lease and is
            // recorded as the executor's last sign of life.
            let renewed = try await store.renewLease(
                ofProcess: process.id, heldBy: executorIdentity, executor: "e1", in: "default", leaseMS: Self.lease, now: Self.t0 + 2_000)
            #expect(renewed.state == .running && renewed.leaseExpiresAtMS == Self.t0 + 2_000 + Self.lease)
            #expect(try await store.executor(named: "e1", in: "default")?.lastHeartbeatAtMS == Self.t0 + 2_000)
            let closed = try await store.closeProcess(
                process.id, heldBy: executorIdentity, executor: "e1", in: "default", succeeded: true, error: nil, backoff: BackoffPolicy(),
                now: Self.t0 + 3_000)
            #expect(closed.state == .succeeded)
            #expect(try await store.executor(named: "e1", in: "default")?.lastHeartbeatAtMS == Self.t0 + 3_000)
            let gone = StewardError.conflict(
                "process '\(process.id)' is succeeded, not running: its lease ran out or it was closed. Stop working on it")
            await #expect(throws: gone) {
                try await store.renewLease(
                    ofProcess: process.id, heldBy: executorIdentity, executor: "e1", in: "default", leaseMS: Self.lease, now: Self.t0 + 4_000)
            }
            await #expect(throws: gone) {
                try await store.closeProcess(
                    process.id, heldBy: executorIdentity, executor: "e1", in: "default", succeeded: false, error: "late", backoff: BackoffPolicy(),
                    now: Self.t0 + 4_000)
            }
        }
    }

    @Test func failuresRetryWithPerServiceBackoffAndShowOnTheService() async throws {
        try await withStore { store, _ in
            _ = try await create(store, "a")
            let policy = BackoffPolicy(initial: .milliseconds(100), maximum: .milliseconds(400))
            var now = Self.t0
            var delays: [Int64] = []
            for _ in 0..<4 {
                let (process, nextReady) = try await store.assignProcess(
                    toExecutor: "e1", in: "default", leaseMS: Self.lease, now: now)
                guard let process else {
                    Issue.record("no process at \(now - Self.t0) ms (next ready \(String(describing: nextReady)))")
                    return
                }
                let closed = try await store.closeProcess(
                    process.id, heldBy: executorIdentity, executor: "e1", in: "default", succeeded: false, error: "disk full", backoff: policy,
                    now: now)
                #expect(closed.state == .waiting)
                delays.append(closed.notBeforeMS - now)
                // Not before the backoff ends.
                let early = try await store.assignProcess(toExecutor: "e1", in: "default", leaseMS: Self.lease, now: now + 50)
                #expect(early.process == nil)
                #expect(early.nextReadyAt == closed.notBeforeMS)
                now = closed.notBeforeMS
            }
            #expect(delays == [100, 200, 400, 400])
            let service = try #require(try await store.service(named: "a", in: "default"))
            let condition = try #require(ServiceConditions.condition("Reconciled", in: service.status))
            #expect(condition["status"] == "False")
            #expect(condition["reason"] == "ReconcileFailed")
            #expect(condition["message"]?.stringValue?.hasSuffix("disk full") == true)
            let summary = try #require(try await store.reconciliationSummary(ofService: "a", in: "default"))
            #expect(summary.failures == 4 && summary.lastResult == "failed" && summary.lastError == "disk full")
            // Success resets the count and flips the condition.
            let process = try #require(
                try await store.assignProcess(toExecutor: "e1", in: "default", leaseMS: Self.lease, now: now).process)
            _ = try await store.closeProcess(
                process.id, heldBy: executorIdentity, executor: "e1", in: "default", succeeded: true, error: nil, backoff: policy, now: now)
            let healed = try #require(try await store.service(named: "a", in: "default"))
            #expect(ServiceConditions.isTrue("Reconciled", in: healed.status))
            #expect(try await store.reconciliationSummary(ofService: "a", in: "default")?.failures == 0)
        }
    }

    @Test func removalWaitsForTheDeleteProcess() async throws {
        try await withStore { store, _ in
            _ = try await create(store, "a")
            try await reconcileNext(store, now: Self.t0)
            let (marked, removed) = try await store.removeService(named: "a", in: "default", by: owner, force: false)
            #expect(!removed)
            #expect(marked.metadata.deletionTimestamp != nil)
            #expect(marked.metadata.finalizers.contains(SQLiteStore.reconcilerFinalizer))
            await #expect(throws: StewardError.self) { try await update(store, marked, replicas: 5) }
            let delete = try #require(
                try await store.assignProcess(toExecutor: "e1", in: "default", leaseMS: Self.lease, now: Self.t0 + 1).process)
            #expect(delete.reconciliation.action == .delete)
            #expect(delete.reconciliation.new == JSON?.none)
            #expect(delete.reconciliation.old?["metadata"]?["name"] == "a")
            #expect(try await store.service(named: "a", in: "default") != nil)
            _ = try await store.closeProcess(
                delete.id, heldBy: executorIdentity, executor: "e1", in: "default", succeeded: true, error: nil, backoff: BackoffPolicy(),
                now: Self.t0 + 2)
            #expect(try await store.service(named: "a", in: "default") == nil)
            let history = try await store.history(ofService: "a", in: "default")
            #expect(history.first?.changeType == .deleted)
        }
    }

    @Test func aCreateNobodyReceivedIsDroppedWithItsDeleteAndForceRemovesAtOnce() async throws {
        try await withStore { store, _ in
            _ = try await create(store, "a")
            let (_, removed) = try await store.removeService(named: "a", in: "default", by: owner, force: false)
            #expect(removed)
            #expect(try await store.processes(in: "default", service: "a", state: nil, limit: 10).map(\.state) == [.cancelled])
            _ = try await create(store, "b")
            _ = try await store.assignProcess(toExecutor: "e1", in: "default", leaseMS: Self.lease, now: Self.t0)
            let (_, forced) = try await store.removeService(named: "b", in: "default", by: owner, force: true)
            #expect(forced)
            #expect(try await store.service(named: "b", in: "default") == nil)
        }
    }

    @Test func deleteAndForcedRemoveRemoveAtOnceAlike() async throws {
        try await withStore { store, _ in
            for name in ["a", "b"] { _ = try await create(store, name) }
            let deleted = try await store.deleteService(named: "a", in: "default", by: owner)
            let (_, removed) = try await store.removeService(named: "b", in: "default", by: owner, force: true)
            #expect(removed)
            for name in ["a", "b"] {
                #expect(try await store.service(named: name, in: "default") == nil)
                #expect(try await store.processes(in: "default", service: name, state: nil, limit: 10).map(\.state) == [.cancelled])
                #expect(try await store.history(ofService: name, in: "default").first?.changeType == .deleted)
            }
            let events = try await store.events(in: "default", after: 0, kind: "Web", limit: 100).filter { $0.type == .deleted }
            #expect(events.map(\.name) == ["a", "b"])
            #expect(events.first.map { String($0.revision) } == deleted.metadata.resourceVersion)
        }
    }

    @Test func aRequestedResyncCarriesTheServiceAsBothOldAndNew() async throws {
        try await withStore { store, _ in
            _ = try await create(store, "a")
            try await reconcileNext(store, now: Self.t0 + 1)
            let requested = try await store.requestReconciliation(ofService: "a", in: "default", now: Self.t0 + 2)
            let current = try #require(try await store.service(named: "a", in: "default")).json
            #expect(requested.reconciliation == Reconciliation(action: .resync, old: current, new: current))
            #expect(try await store.process(id: requested.id, in: "default")?.reconciliation == requested.reconciliation)
        }
    }

    @Test func processesSurviveReopeningAndResyncsComeDue() async throws {
        let directory = try TemporaryDirectory("steward-processes-reopen")
        defer { directory.remove() }
        let path = directory.path + "/steward.db"
        var running: ReconciliationProcess
        do {
            let store = try SQLiteStore(path: path)
            defer { store.close() }
            _ = try await store.ensureNamespace("default", owner: owner)
            _ = try await store.createDefinition(try ServiceDefinition(json: Self.definition), in: "default")
            _ = try await store.registerExecutor(
                name: "e1", executorType: "web-reconciler", node: "n1", identity: executorIdentity, in: "default",
                now: Self.t0)
            _ = try await create(store, "a")
            _ = try await create(store, "b")
            running = try #require(
                try await store.assignProcess(toExecutor: "e1", in: "default", leaseMS: Self.lease, now: Self.t0).process)
        }
        let store = try SQLiteStore(path: path)
        defer { store.close() }
        let states = try await store.processes(in: "default", service: nil, state: nil, limit: 10).map(\.state)
        #expect(states.sorted { $0.rawValue < $1.rawValue } == [.running, .waiting])
        // At start the server renews running leases; the holder closes it as usual.
        try await store.extendAllLeases(leaseMS: Self.lease, now: Self.t0 + 60_000)
        #expect(try await store.expireLeases(now: Self.t0 + 60_000 + Self.lease - 1).isEmpty)
        _ = try await store.closeProcess(
            running.id, heldBy: executorIdentity, executor: "e1", in: "default", succeeded: true, error: nil, backoff: BackoffPolicy(),
            now: Self.t0 + 61_000)
        // reconcileInterval is 60 s: a resync is due a minute after the success.
        #expect(try await store.enqueueDueResyncs(now: Self.t0 + 61_000 + 59_000).isEmpty)
        #expect(try await store.enqueueDueResyncs(now: Self.t0 + 61_000 + 60_000).count == 1)
        let resync = try await store.processes(in: "default", service: running.serviceName, state: .waiting, limit: 10)
        #expect(resync.map(\.reconciliation.action) == [.resync])
    }
}
