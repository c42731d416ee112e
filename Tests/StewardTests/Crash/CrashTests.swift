import Foundation
import JSONSchema
import StewardClient
import StewardCore
import StewardStore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// What the load generator was told was committed.
private actor Acknowledged {
    /// Service name → the last replicas value whose write was acknowledged.
    var replicas: [String: Int] = [:]

    func record(_ name: String, replicas value: Int) { replicas[name] = value }
    var count: Int { replicas.values.reduce(0) { $0 + $1 + 1 } }
}

@Suite("Crash: SIGKILL during a write load", .serialized)
struct CrashTests {
    @Test(.timeLimit(.minutes(3)))
    func everyAcknowledgedWriteSurvivesSIGKILL() async throws {
        let directory = try TemporaryDirectory("steward-crash")
        defer { directory.remove() }
        let home = directory.path + "/home"
        let config = directory.path + "/config.json"

        let first = try await Blocking.run { try ServerProcess(home: home, configPath: config) }
        #expect(first.output.contains("Owner key: \(home)/keys/owner.key"))
        let ownerKey = try String(contentsOfFile: home + "/keys/owner.key", encoding: .utf8)
        let owner = try Identity(privateKeyHex: ownerKey)
        let keyMode = try FileManager.default.attributesOfItem(atPath: home + "/keys/owner.key")[.posixPermissions] as? Int
        #expect(keyMode == 0o600)
        let clientConfig = try JSON(parsing: try String(contentsOfFile: config, encoding: .utf8))
        #expect(clientConfig["currentContext"] == .string(home))
        #expect(clientConfig["contexts"]?[0]?["name"] == .string(home))
        #expect(clientConfig["contexts"]?[0]?["server"] == .string(first.url))
        #expect(clientConfig["contexts"]?[0]?["prvkeyFile"] == .string(home + "/keys/owner.key"))
        #expect(clientConfig["contexts"]?[0]?["namespace"] == "default")

        let client = StewardClient(
            configuration: .init(serverURL: first.url, identity: owner, requestTimeout: .seconds(5)), maxConnections: 32)
        _ = try await client.createDefinition(Fixtures.schemalessDefinition(kind: "Load", name: "loads.example.io"))

        // 32 writers, each creating services and then updating each one a few times; every
        // acknowledged write is recorded. The server is killed once enough have been acknowledged.
        let acknowledged = Acknowledged()
        let writers = Task {
            await withTaskGroup(of: Void.self) { group in
                for writer in 0..<32 {
                    group.addTask {
                        var n = 0
                        while !Task.isCancelled {
                            let name = "w\(writer)-\(n)"
                            n += 1
                            do {
                                _ = try await client.createService([
                                    "kind": "Load", "metadata": ["name": .string(name)], "spec": ["replicas": 0],
                                ])
                                await acknowledged.record(name, replicas: 0)
                                for replicas in 1...3 {
                                    _ = try await client.updateService([
                                        "kind": "Load", "metadata": ["name": .string(name)], "spec": ["replicas": .int(replicas)],
                                    ])
                                    await acknowledged.record(name, replicas: replicas)
                                }
                            } catch {
                                return  // the server is gone
                            }
                        }
                    }
                }
            }
        }
        let deadline = Date().addingTimeInterval(60)
        while await acknowledged.count < 2_000, Date() < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        try await Blocking.run { first.killHard() }
        await writers.value
        try await client.shutdown()
        let expected = await acknowledged.replicas
        #expect(expected.count > 100, "the load acknowledged too few writes before the kill")

        // Restart on the same data directory: every acknowledged write is there.
        let second = try await Blocking.run { try ServerProcess(home: home, configPath: config) }
        let reader = StewardClient(configuration: .init(serverURL: second.url, identity: owner), maxConnections: 4)
        let stored = try await reader.services(kind: "Load")
        try await reader.shutdown()
        var found = [String: Int]()
        for service in stored.items {
            found[service.metadata.name] = service.spec["replicas"]?.intValue
        }
        var lost = 0
        for (name, replicas) in expected {
            guard let value = found[name] else {
                lost += 1
                continue
            }
            // The write in flight at the kill may have committed without its acknowledgement.
            if value != replicas && value != replicas + 1 { lost += 1 }
        }
        #expect(lost == 0, "\(lost) of \(expected.count) acknowledged services lost their last acknowledged write")
        #expect(try await Blocking.run { second.terminate() } == 0)

        // The store opens and is sound.
        let store = try SQLiteStore(path: home + "/steward.db")
        defer { store.close() }
        #expect(try store.integrityCheck().isEmpty)
    }
}
