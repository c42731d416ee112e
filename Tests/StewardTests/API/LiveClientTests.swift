import Foundation
import HummingbirdTesting
import JSONSchema
import StewardClient
import StewardCore
import StewardServer
import Testing

@Suite("API over real sockets with StewardClient")
struct LiveClientTests {
    func client(_ port: Int?, _ identity: Identity) throws -> StewardClient {
        let port = try #require(port)
        return StewardClient(configuration: .init(serverURL: "http://127.0.0.1:\(port)", identity: identity), maxConnections: 32)
    }

    @Test func hundredConcurrentSetsOfDifferentKeysAllSurvive() async throws {
        try await TestServer().run(.live) { api, components in
            let client = try client(api.client.port, components.owner)
            do {
                _ = try await client.createDefinition(Fixtures.schemalessDefinition(kind: "Config", name: "configs.example.io"))
                _ = try await client.createService(["kind": "Config", "metadata": ["name": "shared"], "spec": ["keys": [:]]])
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for i in 0..<100 {
                        group.addTask {
                            _ = try await client.setField(
                                name: "shared", path: try JSONPath(parsing: "spec.keys.k\(i)"), value: .int(i), maxAttempts: 1000)
                        }
                    }
                    try await group.waitForAll()
                }
                let service = try await client.service(name: "shared")
                let keys = try #require(service.spec["keys"]?.objectValue)
                #expect(keys.count == 100)
                for i in 0..<100 { #expect(keys["k\(i)"] == .int(i)) }
                #expect(service.metadata.generation == 101)
            } catch {
                try await client.shutdown()
                throw error
            }
            try await client.shutdown()
        }
    }

    @Test func watchReplaysFromARevisionThenFollowsLiveChanges() async throws {
        try await TestServer().run(.live) { api, components in
            let client = try client(api.client.port, components.owner)
            do {
                _ = try await client.createDefinition(Fixtures.schemalessDefinition(kind: "Web", name: "webs.example.io"))
                let start = try await client.services().revision
                _ = try await client.createService(["kind": "Web", "metadata": ["name": "a"], "spec": [:]])
                _ = try await client.createService(["kind": "Web", "metadata": ["name": "b"], "spec": [:]])
                let stream = try await client.watch(from: start, kind: "Web")
                var iterator = stream.makeAsyncIterator()
                let first = try await iterator.next()
                let second = try await iterator.next()
                #expect(first?.type == .added)
                #expect(first?.name == "a")
                #expect(second?.name == "b")
                #expect(first!.revision < second!.revision)
                // A live change after the replay.
                _ = try await client.removeService(name: "a")
                let third = try await iterator.next()
                #expect(third?.type == .deleted)
                #expect(third?.name == "a")
                #expect(third!.revision > second!.revision)
            } catch {
                try await client.shutdown()
                throw error
            }
            try await client.shutdown()
        }
    }
}
