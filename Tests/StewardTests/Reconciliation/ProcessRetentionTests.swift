import Foundation
import JSONSchema
import StewardCore
import Testing

@testable import StewardStore

/// The retention of finished processes on a real SQLite file, with an explicit clock: each
/// write that finishes a process keeps its service's newest N finished ones.
@Suite("Reconciliation store: retention of finished processes")
struct ProcessRetentionTests {
    let owner = Identity.generate().id
    let executorIdentity = Identity.generate().id
    static let t0: Int64 = 1_800_000_000_000
    static let lease: Int64 = 10_000
    /// handler.reconcileInterval of the kind, in milliseconds.
    static let interval: Int64 = 30_000
    static let admission: ServiceAdmission = { _, service in service }
    static let definition: JSON = [
        "metadata": ["name": "webs.example.io"],
        "spec": ["names": ["kind": "Web"], "handler": ["executorType": "web-reconciler", "reconcileInterval": 30]],
    ]
    /// A second kind, reconciled by executor `e2`, without periodic resyncs.
    static let jobs: JSON = [
        "metadata": ["name": "jobs.example.io"], "spec": ["names": ["kind": "Job"], "handler": ["executorType": "job-reconciler"]],
    ]
    static let finishedStates: Set<ProcessState> = [.succeeded, .superseded, .cancelled]

    /// Opens the store at `path` keeping `keep` finished processes per service.
    func open(_ path: String, keep: Int) throws -> SQLiteStore {
        try SQLiteStore(configuration: .init(path: path, keepFinishedProcesses: keep))
    }

    /// Creates `namespace` with the Web kind and registers executor `e1` for it.
    func prepare(_ store: SQLiteStore, namespace: String = "default") async throws {
        _ = try await store.ensureNamespace(namespace, owner: owner)
        _ = try await store.createDefinition(try ServiceDefinition(json: Self.definition), in: namespace)
        _ = try await store.registerExecutor(
            name: "e1", executorType: "web-reconciler", node: "n1", identity: executorIdentity, in: namespace,
            now: Self.t0)
    }

    func withStore<T>(keep: Int, _ body: (SQLiteStore, String) async throws -> T) async throws -> T {
        let directory = try TemporaryDirectory("steward-retention")
        defer { directory.remove() }
        let path = directory.path + "/steward.db"
        let store = try open(path, keep: keep)
        defer { store.close() }
        try await prepare(store)
        return try await body(store, path)
    }

    @discardableResult
    func create(_ store: SQLiteStore, _ name: String, kind: String = "Web", in namespace: String = "default") async throws
        -> Service
    {
        try await store.createService(
            Service(kind: kind, metadata: ServiceMetadata(name: name), spec: ["replicas": 1]), in: namespace, by: owner,
            admission: Self.admission)
    }

    func update(_ store: SQLiteStore, _ name: String, replicas: Int) async throws {
        var changed = try #require(try await store.service(named: name, in: "default"))
        changed.spec = ["replicas": .int(replicas)]
        changed.metadata.resourceVersion = nil
        _ = try await store.updateService(changed, in: "default", by: owner, admission: Self.admission)
    }

    func assign(_ store: SQLiteStore, to executor: String = "e1", in namespace: String = "default", now: Int64)
        async throws -> ReconciliationProcess?
    {
        try await store.assignProcess(toExecutor: executor, in: namespace, leaseMS: Self.lease, now: now).process
    }

    @discardableResult
    func close(
        _ store: SQLiteStore, _ process: ReconciliationProcess, succeeded: Bool = true, now: Int64
    ) async throws -> ReconciliationProcess {
        try await store.closeProcess(
            process.id, heldBy: executorIdentity, executor: process.executorName ?? "", in: process.namespace, succeeded: succeeded,
            error: succeeded ? nil : "boom", backoff: BackoffPolicy(), now: now)
    }

    /// Assigns the next ready process and closes it successfully; returns its id.
    @discardableResult
    func reconcileNext(_ store: SQLiteStore, by executor: String = "e1", in namespace: String = "default", now: Int64)
        async throws -> String
    {
        let process = try #require(try await assign(store, to: executor, in: namespace, now: now))
        try await close(store, process, now: now)
        return process.id
    }

    /// The ids of the service's finished processes, newest first.
    func finished(_ store: SQLiteStore, _ service: String, in namespace: String = "default") async throws -> [String] {
        try await store.processes(in: namespace, service: service, state: nil, limit: 1000)
            .filter { Self.finishedStates.contains($0.state) }.map(\.id)
    }

    func states(_ store: SQLiteStore, _ service: String) async throws -> [ProcessState] {
        try await store.processes(in: "default", service: service, state: nil, limit: 1000).map(\.state)
    }

    @Test func eachFinishKeepsTheNewestThreeFinishedAndNeverTouchesWaitingRunningOrOtherServices() async throws {
        try await withStore(keep: 3) { store, _ in
            var now = Self.t0
            func tick(_ ms: Int64 = 1) -> Int64 {
                now += ms
                return now
            }
            // Service b (a Job, reconciled by e2) and a service a of another namespace: three
            // finished processes and a waiting one each.
            _ = try await store.createDefinition(try ServiceDefinition(json: Self.jobs), in: "default")
            _ = try await store.registerExecutor(
                name: "e2", executorType: "job-reconciler", node: "n1", identity: executorIdentity, in: "default",
                now: Self.t0)
            _ = try await store.ensureNamespace("other", owner: owner)
            try await prepare(store, namespace: "other")
            try await create(store, "b", kind: "Job")
            try await create(store, "a", in: "other")
            var untouchedB: [String] = []
            var untouchedOther: [String] = []
            for _ in 0..<3 {
                untouchedB.insert(try await reconcileNext(store, by: "e2", now: tick()), at: 0)
                untouchedOther.insert(try await reconcileNext(store, in: "other", now: tick()), at: 0)
                _ = try await store.requestReconciliation(ofService: "b", in: "default", now: tick())
                _ = try await store.requestReconciliation(ofService: "a", in: "other", now: tick())
            }
            // b's and other/a's requested resyncs stay waiting throughout.
            #expect(try await states(store, "b") == [.waiting, .succeeded, .succeeded, .succeeded])

            // a: the create succeeds.
            try await create(store, "a")
            let p1 = try #require(try await assign(store, now: tick()))
            #expect(p1.serviceName == "a")
            try await close(store, p1, now: now)
            // An update fails, waits out its backoff, and succeeds on the retry: one process.
            try await update(store, "a", replicas: 2)
            let p2 = try #require(try await assign(store, now: tick()))
            #expect(try await close(store, p2, succeeded: false, now: now).state == .waiting)
            #expect(try await assign(store, now: tick()) == nil)
            let p2Again = try #require(try await assign(store, now: tick(200)))
            #expect(p2Again.id == p2.id && p2Again.attempt == 2)
            try await close(store, p2Again, now: now)
            #expect(try await finished(store, "a") == [p2.id, p1.id])
            // An update fails while a newer one waits: it is superseded (merged into the newer).
            try await update(store, "a", replicas: 3)
            let p3 = try #require(try await assign(store, now: tick()))
            try await update(store, "a", replicas: 4)
            #expect(try await close(store, p3, succeeded: false, now: now).state == .superseded)
            #expect(try await finished(store, "a") == [p3.id, p2.id, p1.id])
            // The fourth finished process prunes the first.
            let p4 = try #require(try await assign(store, now: tick(200)))
            try await close(store, p4, now: now)
            #expect(try await finished(store, "a") == [p4.id, p3.id, p2.id])
            #expect(try await store.process(id: p1.id, in: "default") == nil)
            // Periodic resyncs (handler.reconcileInterval) of a only: b and other/a have theirs waiting.
            var resyncs: [String] = []
            for _ in 0..<3 {
                _ = try await store.enqueueDueResyncs(now: tick(Self.interval))
                let resync = try #require(try await assign(store, now: now))
                #expect(resync.serviceName == "a" && resync.reconciliation.action == .resync)
                try await close(store, resync, now: now)
                resyncs.insert(resync.id, at: 0)
            }
            #expect(try await finished(store, "a") == resyncs)
            // A lease that runs out while an update waits supersedes the running process too.
            _ = try await store.enqueueDueResyncs(now: tick(Self.interval))
            let expiring = try #require(try await assign(store, now: now))
            try await update(store, "a", replicas: 5)
            #expect(try await store.expireLeases(now: tick(Self.lease)).count == 1)
            #expect(try await store.process(id: expiring.id, in: "default")?.state == .superseded)
            // One running and one waiting process besides the newest three finished.
            let running = try #require(try await assign(store, now: tick()))
            try await update(store, "a", replicas: 6)
            let processes = try await store.processes(in: "default", service: "a", state: nil, limit: 1000)
            #expect(processes.map(\.state) == [.waiting, .running, .superseded, .succeeded, .succeeded])
            #expect(processes[1].id == running.id)
            #expect(try await finished(store, "a") == [expiring.id] + resyncs.prefix(2))
            for gone in [p1, p2, p3, p4] { #expect(try await store.process(id: gone.id, in: "default") == nil) }

            #expect(try await finished(store, "b") == untouchedB)
            #expect(try await finished(store, "a", in: "other") == untouchedOther)
            #expect(try await store.processes(in: "other", service: "a", state: .waiting, limit: 10).count == 1)
        }
    }

    @Test func removingAServiceKeepsItsNewestFinishedWithTheProcessThatRemovedIt() async throws {
        try await withStore(keep: 2) { store, _ in
            // Removed by its reconciler: the delete process is the newest finished one.
            try await create(store, "a")
            let created = try await reconcileNext(store, now: Self.t0 + 1)
            _ = try await store.requestReconciliation(ofService: "a", in: "default", now: Self.t0 + 2)
            let resync = try await reconcileNext(store, now: Self.t0 + 3)
            #expect(try await finished(store, "a") == [resync, created])
            let (_, removedAtOnce) = try await store.removeService(named: "a", in: "default", by: owner, force: false)
            #expect(!removedAtOnce)
            let delete = try await reconcileNext(store, now: Self.t0 + 4)
            #expect(try await store.service(named: "a", in: "default") == nil)
            #expect(try await finished(store, "a") == [delete, resync])

            // Removed at once, by force and by deleteService: the cancelled waiting process stays.
            for (name, force) in [("b", true), ("c", false)] {
                try await create(store, name)
                let first = try await reconcileNext(store, now: Self.t0 + 5)
                _ = try await store.requestReconciliation(ofService: name, in: "default", now: Self.t0 + 6)
                let second = try await reconcileNext(store, now: Self.t0 + 7)
                _ = try await store.requestReconciliation(ofService: name, in: "default", now: Self.t0 + 8)
                if force {
                    #expect(try await store.removeService(named: name, in: "default", by: owner, force: true).removed)
                } else {
                    _ = try await store.deleteService(named: name, in: "default", by: owner)
                }
                #expect(try await states(store, name) == [.cancelled, .succeeded])
                #expect(try await finished(store, name).last == second)
                #expect(try await store.process(id: first, in: "default") == nil)
            }
        }
    }

    @Test func theProcessesOfARemovedServiceGoOnceTheyAreOlderThanTheCutoffAndNoOthers() async throws {
        try await withStore(keep: 5) { store, _ in
            // "gone" is removed by its reconciler at t0 + 3; "kept" stays; "late" is removed after the cutoff.
            try await create(store, "gone")
            let created = try await reconcileNext(store, now: Self.t0 + 1)
            _ = try await store.removeService(named: "gone", in: "default", by: owner, force: false)
            let delete = try await reconcileNext(store, now: Self.t0 + 3)
            try await create(store, "kept")
            let kept = try await reconcileNext(store, now: Self.t0 + 4)
            try await create(store, "late")
            let lateCreated = try await reconcileNext(store, now: Self.t0 + 5)
            _ = try await store.removeService(named: "late", in: "default", by: owner, force: false)
            let lateDelete = try await reconcileNext(store, now: Self.t0 + 20)
            #expect(try await finished(store, "gone") == [delete, created])

            // Cutoff t0 + 10 in writes of one process: both of "gone" go, nothing else.
            let deleted = try await store.purgeProcessesOfRemovedServices(closedBefore: Self.t0 + 10, batchSize: 1)
            #expect(deleted == 2)
            #expect(try await finished(store, "gone").isEmpty)
            #expect(try await store.process(id: delete, in: "default") == nil)
            #expect(try await finished(store, "kept") == [kept])
            #expect(try await finished(store, "late") == [lateDelete, lateCreated])
            #expect(try await store.purgeProcessesOfRemovedServices(closedBefore: Self.t0 + 10) == 0)

            // A service re-created under a removed name keeps its earlier processes as its own.
            try await create(store, "late")
            #expect(try await store.purgeProcessesOfRemovedServices(closedBefore: Self.t0 + 1_000) == 0)
            #expect(try await finished(store, "late") == [lateDelete, lateCreated])
        }
    }

    @Test func keepingNoneDeletesAProcessAsItFinishesButItsCloseStillAnswers() async throws {
        try await withStore(keep: 0) { store, _ in
            try await create(store, "a")
            let process = try #require(try await assign(store, now: Self.t0))
            try await update(store, "a", replicas: 2)
            let closed = try await close(store, process, now: Self.t0 + 1)
            #expect(closed.state == .succeeded && closed.id == process.id)
            #expect(try await store.process(id: process.id, in: "default") == nil)
            #expect(try await states(store, "a") == [.waiting])
            let summary = try #require(try await store.reconciliationSummary(ofService: "a", in: "default"))
            #expect(summary.lastResult == "succeeded")
            #expect(summary.latest?.state == .waiting)
        }
    }

    @Test func aLongRunOfResyncsLeavesTheDefaultTwentyRows() async throws {
        try await withStore(keep: SQLiteStore.defaultKeepFinishedProcesses) { store, path in
            try await create(store, "a")
            var now = Self.t0
            var ids: [String] = [try await reconcileNext(store, now: now)]
            for _ in 1..<200 {
                now += Self.interval
                #expect(try await store.enqueueDueResyncs(now: now).count == 1)
                ids.append(try await reconcileNext(store, now: now))
            }
            let probe = try SQLiteConnection(path: path, create: false)
            #expect(try probe.first("SELECT count(*) FROM processes") { $0.int(0) } == 20)
            #expect(try await finished(store, "a") == Array(ids.suffix(20).reversed()))
        }
    }

    @Test func aStoreFromThePreviousVersionMigratesAndIsPrunedOnTheNextClose() async throws {
        let directory = try TemporaryDirectory("steward-retention-upgrade")
        defer { directory.remove() }
        let path = directory.path + "/steward.db"
        var ids: [String] = []
        do {
            // The previous version kept every finished process.
            let store = try open(path, keep: .max)
            defer { store.close() }
            try await prepare(store)
            try await create(store, "a")
            ids.append(try await reconcileNext(store, now: Self.t0))
            for step in Int64(1)...9 {
                _ = try await store.requestReconciliation(ofService: "a", in: "default", now: Self.t0 + step)
                ids.append(try await reconcileNext(store, now: Self.t0 + step))
            }
        }
        // Take the file back to the previous version's schema: without the index and its migration.
        struct MigrationState: Equatable {
            var index: Bool
            var recorded: Bool
        }
        func migrated(_ db: SQLiteConnection) throws -> MigrationState {
            let index = try db.first("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'processes_finished'") {
                _ in true
            }
            let recorded = try db.first(
                "SELECT 1 FROM schema_migrations WHERE name = ?", .text(ProcessRetentionMigration.name)
            ) { _ in true }
            return MigrationState(index: index ?? false, recorded: recorded ?? false)
        }
        do {
            let db = try SQLiteConnection(path: path, create: false)
            try db.execute("DROP INDEX processes_finished")
            try db.run("DELETE FROM schema_migrations WHERE name = ?", .text(ProcessRetentionMigration.name))
            #expect(try migrated(db) == MigrationState(index: false, recorded: false))
            #expect(try db.first("SELECT count(*) FROM processes") { $0.int(0) } == 10)
        }

        let store = try open(path, keep: 3)
        defer { store.close() }
        let probe = try SQLiteConnection(path: path, create: false)
        #expect(try migrated(probe) == MigrationState(index: true, recorded: true))
        // Opening prunes nothing; the next process that finishes prunes its service.
        #expect(try await finished(store, "a") == ids.reversed())
        _ = try await store.requestReconciliation(ofService: "a", in: "default", now: Self.t0 + 100)
        ids.append(try await reconcileNext(store, now: Self.t0 + 100))
        #expect(try await finished(store, "a") == Array(ids.suffix(3).reversed()))
        #expect(try probe.first("SELECT count(*) FROM processes") { $0.int(0) } == 3)
        #expect(try store.integrityCheck().isEmpty)
    }

    @Test func thePruneUsesThePartialIndexOfFinishedProcesses() async throws {
        try await withStore(keep: 3) { _, path in
            let probe = try SQLiteConnection(path: path, create: false)
            let plan = try probe.all(
                "EXPLAIN QUERY PLAN " + SQLiteStore.pruneFinishedSQL, [.text("default"), .text("a"), .int(3)]
            ) { $0.text(3) }
            // The cut-off from the index alone; the delete goes through the index to its rows.
            #expect(
                plan.filter { $0.hasPrefix("SEARCH") || $0.hasPrefix("SCAN") } == [
                    "SEARCH processes USING INDEX processes_finished (namespace=? AND service=? AND seq<?)",
                    "SEARCH processes USING COVERING INDEX processes_finished (namespace=? AND service=?)",
                ], "\(plan)")
        }
    }
}
