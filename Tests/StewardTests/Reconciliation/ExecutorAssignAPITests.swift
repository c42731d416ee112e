import Foundation
import HummingbirdTesting
import JSONSchema
import StewardCore
import StewardServer
import Testing

@testable import StewardStore

/// The executor endpoints in-process: the assign long poll, the heartbeat and close of the
/// executor holding a process, and status writes by the identities of executors.
@Suite("Executors over the API: assign long poll, heartbeat, close and status writes")
struct ExecutorAssignAPITests {
    static let executorType = "web-reconciler"

    static let definition: JSON = [
        "metadata": ["name": "webs.example.io"],
        "spec": [
            "names": ["kind": "Web"],
            "schema": ["type": "object", "properties": ["replicas": ["type": "integer"]]],
            "handler": ["executorType": .string(executorType)],
        ],
    ]

    static func web(_ name: String, replicas: Int = 1) -> JSON {
        ["kind": "Web", "metadata": ["name": .string(name)], "spec": ["replicas": .int(replicas)]]
    }

    static func register(_ api: API, _ name: String, type: String = executorType) async throws {
        let response = try await api.request(
            .post, "/api/v1/namespaces/default/executors", json: ["name": .string(name), "executorType": .string(type)])
        #expect(response.status == .created, "registering \(name): \(response.text)")
    }

    static func assign(_ api: API, _ executor: String, timeoutSeconds: Int) async throws -> TestResponse {
        try await api.request(.post, "/api/v1/namespaces/default/executors/\(executor)/assign?timeout=\(timeoutSeconds)")
    }

    struct TimedOut: Error, CustomStringConvertible {
        let what: String
        var description: String { "timed out waiting until \(what)" }
    }

    /// Polls `condition` every few milliseconds for up to ten seconds.
    static func waitUntil(_ what: String, _ condition: () throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while try !condition() {
            guard ContinuousClock.now < deadline else { throw TimedOut(what: what) }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    @Test func heartbeatAndCloseAnswerTheHoldersErrors() async throws {
        try await TestServer().run { api, _ in
            #expect(try await api.createDefinition(Self.definition).status == .created)
            try await Self.register(api, "e1")
            #expect(try await api.createService(Self.web("a")).status == .created)
            let assigned = try await Self.assign(api, "e1", timeoutSeconds: 0)
            #expect(assigned.status == .ok)
            let id = try #require(assigned.json["id"]?.stringValue)
            let member = Identity.generate()
            _ = try await api.request(
                .post, "/api/v1/namespaces/default/members", json: ["id": .string(member.id), "role": "member"])

            let missing = try await api.request(
                .post, "/api/v1/namespaces/default/processes/nope/heartbeat", json: ["executor": "e1"])
            #expect(missing.status == .notFound)
            #expect(missing.error?.message == "process 'nope' not found in namespace 'default'")
            for action in ["heartbeat", "close"] {
                let stranger = try await api.signing(as: member).request(
                    .post, "/api/v1/namespaces/default/processes/\(id)/\(action)", json: ["executor": "e1", "result": "success"])
                #expect(stranger.status == .forbidden)
                #expect(stranger.error?.message == "process '\(id)' is held by executor 'e1', which is not yours")
                let unnamed = try await api.request(
                    .post, "/api/v1/namespaces/default/processes/\(id)/\(action)", json: ["result": "success"])
                #expect(unnamed.status == .badRequest)
                #expect(unnamed.error?.field == "executor", "\(unnamed.text)")
            }

            let heartbeat = try await api.request(
                .post, "/api/v1/namespaces/default/processes/\(id)/heartbeat", json: ["executor": "e1"])
            #expect(heartbeat.status == .ok)
            #expect(heartbeat.json["state"] == "running")
            let closed = try await api.request(
                .post, "/api/v1/namespaces/default/processes/\(id)/close", json: ["executor": "e1", "result": "success"])
            #expect(closed.status == .ok)
            #expect(closed.json["state"] == "succeeded")
            for action in ["heartbeat", "close"] {
                let late = try await api.request(
                    .post, "/api/v1/namespaces/default/processes/\(id)/\(action)", json: ["executor": "e1", "result": "success"])
                #expect(late.status == .conflict)
                #expect(
                    late.error?.message
                        == "process '\(id)' is succeeded, not running: its lease ran out or it was closed. Stop working on it")
            }
        }
    }

    /// An executor whose lease ran out can neither heartbeat nor close the process once it was
    /// assigned to another executor of the same identity: 409 naming the holder, and the
    /// holder's work stands.
    @Test func aStaleExecutorCannotHeartbeatOrCloseAProcessReassignedToAnotherOfItsIdentity() async throws {
        try await TestServer { $0.reconciliation.leaseDuration = .milliseconds(500) }.run { api, components in
            #expect(try await api.createDefinition(Self.definition).status == .created)
            try await Self.register(api, "e1")
            try await Self.register(api, "e2")
            #expect(try await api.createService(Self.web("a")).status == .created)
            let first = try await Self.assign(api, "e1", timeoutSeconds: 0)
            let id = try #require(first.json["id"]?.stringValue)
            // e1 stops heartbeating; its lease runs out and the same process goes to e2 (with a
            // long lease, so that it cannot run out while the test looks).
            let store = components.store
            try await Task.sleep(for: .milliseconds(600))
            _ = try await store.expireLeases(now: Date().millisecondsSince1970)
            let second = try #require(
                try await store.assignProcess(
                    toExecutor: "e2", in: "default", leaseMS: 60_000, now: Date().millisecondsSince1970
                ).process)
            #expect(second.id == id)
            #expect(second.executorName == "e2")

            let expected =
                "process '\(id)' is held by executor 'e2', not 'e1': the lease of 'e1' ran out and the process was assigned again. Stop working on it"
            for action in ["heartbeat", "close"] {
                let stale = try await api.request(
                    .post, "/api/v1/namespaces/default/processes/\(id)/\(action)",
                    json: ["executor": "e1", "result": "failure", "error": "stale"])
                #expect(stale.status == .conflict)
                #expect(stale.error?.message == expected)
                #expect(stale.error?.field == "executor")
            }
            let process = try await api.request(.get, "/api/v1/namespaces/default/processes/\(id)")
            #expect(process.json["state"] == "running")
            #expect(process.json["executor"] == "e2")
            #expect(process.json["error"] == .null || process.json["error"]?.stringValue?.contains("stale") == false)
            let closed = try await api.request(
                .post, "/api/v1/namespaces/default/processes/\(id)/close", json: ["executor": "e2", "result": "success"])
            #expect(closed.status == .ok)
            #expect(closed.json["state"] == "succeeded")
        }
    }

    /// Executors woken while nothing can be assigned to them look on a reader and wait again:
    /// the database does not change (no heartbeat update, no write), and work that arrives is
    /// still assigned at once.
    @Test(.timeLimit(.minutes(1)))
    func wokenExecutorsWithoutAssignableWorkDoNotWrite() async throws {
        try await TestServer().run { api, components in
            let store = components.store
            let signals = store.processSignals
            #expect(try await api.createDefinition(Self.definition).status == .created)
            let pollers = ["e1", "e2", "e3"]
            for name in ["e0"] + pollers { try await Self.register(api, name) }
            // Service `busy` has a running process, so its next change waits: there is a waiting
            // process, but none that may be assigned.
            #expect(try await api.createService(Self.web("busy")).status == .created)
            #expect(try await Self.assign(api, "e0", timeoutSeconds: 0).status == .ok)
            #expect(try await api.updateService(Self.web("busy", replicas: 2), name: "busy").status == .ok)

            try await withThrowingTaskGroup(of: TestResponse.self) { polls in
                for name in pollers {
                    polls.addTask { try await Self.assign(api, name, timeoutSeconds: 30) }
                }
                let allWaiting = {
                    signals.waiterCount(namespace: "default", executorType: Self.executorType) == pollers.count
                }
                try await Self.waitUntil("the executors wait", allWaiting)

                let probe = try SQLiteConnection(path: store.configuration.path, create: false)
                func dataVersion() throws -> Int64 { try probe.first("PRAGMA data_version") { $0.int(0) } ?? -1 }
                func heartbeats() async throws -> [Int64?] {
                    var seen: [Int64?] = []
                    for name in pollers { seen.append(try await store.executor(named: name, in: "default")?.lastHeartbeatAtMS) }
                    return seen
                }
                let version = try dataVersion()
                let heartbeatsBefore = try await heartbeats()
                for round in 1...20 {
                    signals.signal(namespace: "default", executorType: Self.executorType)
                    try await Self.waitUntil("the executors wait again after wake-up \(round)", allWaiting)
                }
                #expect(try dataVersion() == version, "woken executors without assignable work wrote to the database")
                #expect(try await heartbeats() == heartbeatsBefore)

                // Work arrives: each waiting executor gets a process at once.
                let start = ContinuousClock.now
                for index in 1...pollers.count {
                    #expect(try await api.createService(Self.web("fresh-\(index)")).status == .created)
                }
                var services: Set<String> = []
                for try await response in polls {
                    #expect(response.status == .ok, "\(response.text)")
                    services.insert(response.json["service"]?["name"]?.stringValue ?? "")
                }
                let elapsed = ContinuousClock.now - start
                #expect(services == ["fresh-1", "fresh-2", "fresh-3"])
                #expect(elapsed < .seconds(5), "assignment took \(elapsed)")
            }
        }
    }

    @Test func anIdentityWithAnExecutorOfTheHandlersTypeMayWriteStatus() async throws {
        try await TestServer().run { api, _ in
            #expect(try await api.createDefinition(Self.definition).status == .created)
            let plain: JSON = [
                "metadata": ["name": "plains.example.io"],
                "spec": ["names": ["kind": "Plain"], "schema": ["type": "object"]],
            ]
            #expect(try await api.createDefinition(plain).status == .created)
            #expect(try await api.createService(Self.web("a")).status == .created)
            #expect(
                try await api.createService(["kind": "Plain", "metadata": ["name": "p"], "spec": [:]]).status == .created)
            let member = Identity.generate()
            _ = try await api.request(
                .post, "/api/v1/namespaces/default/members", json: ["id": .string(member.id), "role": "member"])
            let asMember = api.signing(as: member)
            func writeStatus(_ service: String) async throws -> TestResponse {
                try await asMember.request(
                    .put, "/api/v1/namespaces/default/services/\(service)/status", json: ["status": ["ready": true]])
            }

            // The member's executor is of another type; the owner's is of the right one.
            try await Self.register(asMember, "other", type: "other-reconciler")
            try await Self.register(api, "owners")
            let refused = try await writeStatus("a")
            #expect(refused.status == .forbidden)
            #expect(
                refused.error?.message
                    == "only owners of namespace 'default' or the identity of an executor of type 'web-reconciler' may write the status of service 'a'")
            let noHandler = try await writeStatus("p")
            #expect(noHandler.status == .forbidden)
            #expect(
                noHandler.error?.message
                    == "only owners of namespace 'default' or the identity of an owner (kind 'Plain' has no handler) may write the status of service 'p'")
            #expect(try await writeStatus("missing").status == .notFound)

            try await Self.register(asMember, "mine")
            let written = try await writeStatus("a")
            #expect(written.status == .ok)
            #expect(written.json["status"] == ["ready": true])
        }
    }
}
