import Foundation
import StewardCore
import StewardStore
import Testing

@Suite("Node store: registration, heartbeats, one identity per name, durability")
struct NodeStoreTests {
    let identity = Identity.generate().id

    @Test func nodesSurviveAReopenWithTheirLastHeartbeat() async throws {
        let directory = try TemporaryDirectory("steward-nodes")
        defer { directory.remove() }
        let path = directory.path + "/steward.db"
        do {
            let store = try SQLiteStore(path: path)
            defer { store.close() }
            let registered = try await store.heartbeatNode(
                Node(name: "a", labels: ["zone": "x"], memoryCapacity: 1 << 30, cpus: 2, instances: 1, version: "v"),
                identity: identity, now: 1_000)
            #expect(registered.registeredAtMS == 1_000 && registered.lastHeartbeatAtMS == 1_000)
            let beat = try await store.heartbeatNode(Node(name: "a", labels: [:], instances: 4), identity: identity, now: 6_000)
            #expect(beat.registeredAtMS == 1_000 && beat.lastHeartbeatAtMS == 6_000)
            _ = try await store.heartbeatNode(Node(name: "b"), identity: identity, now: 7_000)
            await #expect(throws: StewardError.self) {
                try await store.heartbeatNode(Node(name: "a"), identity: Identity.generate().id, now: 8_000)
            }
        }
        let reopened = try SQLiteStore(path: path)
        defer { reopened.close() }
        let nodes = try await reopened.nodes()
        #expect(nodes.map(\.name) == ["a", "b"])
        let a = try #require(nodes.first)
        #expect(a.labels == [:] && a.instances == 4 && a.memoryCapacity == nil && a.identity == identity)
        #expect(a.lastHeartbeatAtMS == 6_000)
        #expect(a.currentState(nowMS: 20_000, graceMS: 20_000) == .ready)
        #expect(a.currentState(nowMS: 26_001, graceMS: 20_000) == .unknown)
        #expect(try await reopened.removeNode(named: "a"))
        #expect(try await reopened.node(named: "a") == nil)
        #expect(try await reopened.removeNode(named: "a") == false)
    }
}
