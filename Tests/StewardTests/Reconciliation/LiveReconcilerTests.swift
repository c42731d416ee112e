import Foundation
import HummingbirdTesting
import JSONSchema
import StewardClient
import StewardCore
import StewardServer
import Testing

/// Records what a runner received.
final class RunnerLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [ReconcilerRunner.Event] = []

    func append(_ event: ReconcilerRunner.Event) { lock.withLock { events.append(event) } }

    var received: [ReconciliationProcess] {
        lock.withLock {
            events.compactMap { if case .received(let p) = $0 { return p } else { return nil } }
        }
    }

    var closedWithError: [String] {
        lock.withLock {
            events.compactMap { if case .closed(_, let error?) = $0 { return error } else { return nil } }
        }
    }
}

/// The whole loop over real sockets: API → process → SDK runner → status → watch.
@Suite("Reconciliation over HTTP with the SDK runner", .serialized)
struct LiveReconcilerTests {
    static func definition(executorType: String, interval: Int? = nil) -> JSON {
        var handler: JSON = ["executorType": .string(executorType)]
        if let interval { handler["reconcileInterval"] = .int(interval) }
        return [
            "metadata": ["name": "webs.example.io"],
            "spec": [
                "names": ["kind": "Web"],
                "schema": ["type": "object", "properties": ["replicas": ["type": "integer", "default": 1]]],
                "handler": handler,
            ],
        ]
    }

    static func web(_ name: String, replicas: Int) -> JSON {
        ["kind": "Web", "metadata": ["name": .string(name)], "spec": ["replicas": .int(replicas)]]
    }

    /// Runs `body` with a live server, an owner client, and a member identity that runs executors.
    func withLiveServer(
        configure: @escaping (inout ServerConfiguration) -> Void = { _ in },
        _ body: @escaping @Sendable (_ owner: StewardClient, _ executorClient: StewardClient) async throws -> Void
    ) async throws {
        let server = try TestServer(configure: configure)
        try await server.run(.live) { api, components in
            let port = try #require(api.client.port)
            let url = "http://127.0.0.1:\(port)"
            let owner = StewardClient(configuration: .init(serverURL: url, identity: components.owner))
            let member = Identity.generate()
            _ = try await api.request(
                .post, "/api/v1/namespaces/default/members", json: ["id": .string(member.id), "role": "member"])
            let executorClient = StewardClient(configuration: .init(serverURL: url, identity: member))
            try await body(owner, executorClient)
        }
    }

    func runner(
        _ client: StewardClient, name: String, type: String, reconciler: any Reconciler, log: RunnerLog
    ) -> ReconcilerRunner {
        ReconcilerRunner(
            client: client,
            configuration: .init(
                executorName: name, executorType: type, node: "test", pollTimeout: .seconds(5),
                heartbeatInterval: .milliseconds(500)),
            reconciler: reconciler, onEvent: { log.append($0) })
    }

    @Test(.timeLimit(.minutes(2)))
    func createUpdateRemoveFlowThroughTheRunner() async throws {
        try await withLiveServer { owner, executorClient in
            _ = try await owner.createDefinition(Self.definition(executorType: "web-reconciler"))
            let log = RunnerLog()
            let runner = runner(executorClient, name: "web-1", type: "web-reconciler", reconciler: EchoReconciler(), log: log)
            let task = Task { try await runner.run() }
            defer { task.cancel() }

            // create → a create process → status with observedGeneration 1 and Ready.
            let created = try await owner.createService(Self.web("a", replicas: 1))
            try await owner.waitForReconciliation(
                of: "a", generation: 1, after: Int64(created.metadata.resourceVersion ?? "0") ?? 0, timeout: .seconds(20))
            let reconciled = try await owner.service(name: "a")
            #expect(reconciled.status["observedGeneration"] == 1)
            #expect(ServiceConditions.isTrue("Ready", in: reconciled.status))
            #expect(log.received.map(\.reconciliation.action) == [.create])
            #expect(log.received.first.map { $0.reconciliation.old == nil } == true)

            // update replicas 1 → 3: an update with old and new.
            let updated = try await owner.setField(name: "a", path: try JSONPath(parsing: "spec.replicas"), value: 3)
            #expect(updated.metadata.generation == 2)
            try await owner.waitForReconciliation(
                of: "a", generation: 2, after: Int64(updated.metadata.resourceVersion ?? "0") ?? 0, timeout: .seconds(20))
            let update = try #require(log.received.last)
            #expect(update.reconciliation.action == .update)
            #expect(update.reconciliation.old?["spec"]?["replicas"] == 1)
            #expect(update.reconciliation.new?["spec"]?["replicas"] == 3)
            #expect(try await owner.service(name: "a").status["runningInstances"] == 3)

            // A status write makes no process.
            let before = try await owner.processes(service: "a").count
            _ = try await executorClient.setStatus(name: "a", status: ["observedGeneration": 2, "note": "manual"])
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await owner.processes(service: "a").count == before)

            // remove → marked deleting → delete process → gone only after the close.
            let marked = try await owner.removeService(name: "a", force: false)
            #expect(marked.metadata.deletionTimestamp != nil)
            try await owner.waitForRemoval(
                of: "a", after: Int64(marked.metadata.resourceVersion ?? "0") ?? 0, timeout: .seconds(20))
            let delete = try #require(log.received.last)
            #expect(delete.reconciliation.action == .delete)
            #expect(delete.reconciliation.old?["spec"]?["replicas"] == 3)
            await #expect(throws: StewardError.self) { try await owner.service(name: "a") }
            let processes = try await owner.processes(service: "a")
            #expect(processes.allSatisfy { $0.state == .succeeded }, "\(processes.map(\.state))")
            let executors = try await owner.executors()
            #expect(executors.map(\.name) == ["web-1"])
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func statusWritesNeedTheHandlersExecutorOrAnOwner() async throws {
        try await withLiveServer { owner, executorClient in
            _ = try await owner.createDefinition(Self.definition(executorType: "web-reconciler"))
            _ = try await owner.createService(Self.web("a", replicas: 1))
            // A member without an executor of the handler's type is refused.
            await #expect(throws: StewardError.self) {
                try await executorClient.setStatus(name: "a", status: ["observedGeneration": 1])
            }
            _ = try await executorClient.registerExecutor(name: "other", executorType: "other-type", node: "n")
            do {
                _ = try await executorClient.setStatus(name: "a", status: ["observedGeneration": 1])
                Issue.record("an executor of another type wrote the status")
            } catch let error as StewardError {
                #expect(error.code == .forbidden)
            }
            _ = try await executorClient.registerExecutor(name: "web-1", executorType: "web-reconciler", node: "n")
            let written = try await executorClient.setStatus(name: "a", status: ["observedGeneration": 1])
            #expect(written.status["observedGeneration"] == 1)
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func anAlwaysFailingReconcilerBacksOffAndTheServerStaysResponsive() async throws {
        try await withLiveServer(configure: {
            $0.reconciliation.backoff = BackoffPolicy(initial: .milliseconds(50), maximum: .milliseconds(400))
        }) { owner, executorClient in
            _ = try await owner.createDefinition(Self.definition(executorType: "web-reconciler"))
            let log = RunnerLog()
            let runner = runner(
                executorClient, name: "web-1", type: "web-reconciler", reconciler: EchoReconciler(failure: "disk full"),
                log: log)
            let task = Task { try await runner.run() }
            defer { task.cancel() }
            let created = try await owner.createService(Self.web("a", replicas: 1))
            do {
                try await owner.waitForReconciliation(
                    of: "a", generation: 1, after: Int64(created.metadata.resourceVersion ?? "0") ?? 0,
                    timeout: .seconds(20))
                Issue.record("the wait succeeded with a failing reconciler")
            } catch let error as StewardError {
                #expect(error.message.contains("disk full"), "\(error)")
            }
            // 50, 100, 200, 400, 400, ... ms: retries keep coming (4 within 15 s even on a loaded
            // machine), but never in a tight loop: at the 400 ms maximum, 2 s hold at most 7 more.
            let started = ContinuousClock.now
            while log.received.count < 4, ContinuousClock.now - started < .seconds(15) {
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(log.received.count >= 4, "\(log.received.count) attempts")
            let before = log.received.count
            try await Task.sleep(for: .seconds(2))
            #expect(log.received.count - before <= 7, "\(log.received.count - before) attempts in 2 s")
            // Requests are answered promptly meanwhile.
            let probe = ContinuousClock.now
            _ = try await owner.services()
            #expect(ContinuousClock.now - probe < .seconds(1))
            let summary = try await owner.reconciliation(ofService: "a")
            #expect(summary["lastResult"] == "failed")
            #expect((summary["failures"]?.intValue ?? 0) >= 4)
            let service = try await owner.service(name: "a")
            #expect(ServiceConditions.condition("Reconciled", in: service.status)?["status"] == "False")
            #expect(log.closedWithError.allSatisfy { $0 == "disk full" })
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func resyncOnRequestAndAtTheInterval() async throws {
        try await withLiveServer { owner, executorClient in
            _ = try await owner.createDefinition(Self.definition(executorType: "web-reconciler", interval: 1))
            let log = RunnerLog()
            let runner = runner(executorClient, name: "web-1", type: "web-reconciler", reconciler: EchoReconciler(), log: log)
            let task = Task { try await runner.run() }
            defer { task.cancel() }
            let created = try await owner.createService(Self.web("a", replicas: 1))
            try await owner.waitForReconciliation(
                of: "a", generation: 1, after: Int64(created.metadata.resourceVersion ?? "0") ?? 0, timeout: .seconds(20))
            let requested = try await owner.reconcileService(name: "a")
            #expect(requested.reconciliation.action == .resync)
            // The interval of 1 s brings more resyncs.
            let deadline = ContinuousClock.now + .seconds(10)
            while log.received.filter({ $0.reconciliation.action == .resync }).count < 3 && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(log.received.filter { $0.reconciliation.action == .resync }.count >= 3)
        }
    }
}
