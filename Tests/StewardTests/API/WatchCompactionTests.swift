import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdTesting
import JSONSchema
import Logging
import NIOCore
import StewardCore
import StewardStore
import Testing

@testable import StewardClient
@testable import StewardServer

/// Watches against a compacted event log: 410 `gone` from a compacted revision, streaming from
/// a kept one, and the in-stream error message the client turns into a `gone` error.
@Suite("Watch after event log compaction")
struct WatchCompactionTests {
    /// Compacts `store` as a server with a one-hour retention would two hours from now.
    func compactEverything(_ store: SQLiteStore) async throws -> SQLiteStore.EventCompactionResult {
        let compactor = RetentionCompactor(
            store: store, retention: .seconds(3600), batchSize: 2, clock: { Date().addingTimeInterval(7200) },
            logger: Logger(label: "test"))
        return try await compactor.compactOnce()
    }

    func client(_ api: API, _ components: StewardServerComponents) throws -> StewardClient {
        let port = try #require(api.client.port)
        return StewardClient(
            configuration: .init(serverURL: "http://127.0.0.1:\(port)", identity: components.owner), maxConnections: 2)
    }

    @Test func theCompactorDeletesOnlyWhatIsOlderThanTheRetention() async throws {
        try await TestServer().run { api, components in
            let definition = try await api.createDefinition(Fixtures.schemalessDefinition(kind: "Web", name: "webs.example.io"))
            #expect(definition.status == .created)
            for name in ["a", "b", "c"] {
                let created = try await api.createService(["kind": "Web", "metadata": ["name": .string(name)], "spec": [:]])
                #expect(created.status == .created)
            }
            // Now, nothing is older than the hour kept.
            let compactor = RetentionCompactor(store: components.store, retention: .seconds(3600), logger: Logger(label: "test"))
            #expect(try await compactor.compactOnce().deleted == 0)
            #expect(compactor.interval == .seconds(60))
            #expect(RetentionCompactor(store: components.store, retention: .seconds(2), logger: Logger(label: "test")).interval == .milliseconds(500))
            // Two hours later, all but the newest event go, two per write.
            #expect(try await compactEverything(components.store) == .init(deleted: 3, batches: 2))
        }
    }

    @Test func aWatchFromACompactedRevisionIsGoneWithWhatToDo() async throws {
        try await TestServer().run { api, components in
            _ = try await api.createDefinition(Fixtures.schemalessDefinition(kind: "Web", name: "webs.example.io"))
            for name in ["a", "b", "c"] {
                _ = try await api.createService(["kind": "Web", "metadata": ["name": .string(name)], "spec": [:]])
            }
            let listed = try await api.request(.get, "/api/v1/namespaces/default/services")
            let revisionBefore = listed.json["revision"]
            _ = try await compactEverything(components.store)
            let compacted = try await components.store.compactedRevision(in: "default")
            #expect(compacted > 1)

            let response = try await api.request(.get, "/api/v1/namespaces/default/watch?from=\(compacted - 1)")
            #expect(response.status == .gone)
            #expect(response.error?.code == .gone)
            #expect(
                response.error?.message
                    == "revision \(compacted - 1) is older than the oldest kept event of namespace 'default' (revision \(compacted) was compacted); list again and watch from the list's revision"
            )
            // The list's revision is unchanged by compaction.
            let relisted = try await api.request(.get, "/api/v1/namespaces/default/services")
            #expect(relisted.json["revision"] == revisionBefore)
        }
    }

    @Test func aWatchFromAKeptRevisionStillStreamsAndTheClientReportsGone() async throws {
        try await TestServer().run(.live) { api, components in
            let client = try client(api, components)
            do {
                _ = try await client.createDefinition(Fixtures.schemalessDefinition(kind: "Web", name: "webs.example.io"))
                for name in ["a", "b", "c"] {
                    _ = try await client.createService(["kind": "Web", "metadata": ["name": .string(name)], "spec": [:]])
                }
                _ = try await compactEverything(components.store)
                let compacted = try await components.store.compactedRevision(in: "default")

                // From the compacted revision: the kept event, then live ones.
                let stream = try await client.watch(from: compacted)
                var iterator = stream.makeAsyncIterator()
                let kept = try await iterator.next()
                #expect(kept?.name == "c")
                #expect(kept?.revision == compacted + 1)
                _ = try await client.createService(["kind": "Web", "metadata": ["name": "d"], "spec": [:]])
                #expect(try await iterator.next()?.name == "d")

                // From before it: the client's error carries the code and the message.
                let error = await #expect(throws: StewardError.self) { try await client.watch(from: 0) }
                #expect(error?.code == .gone)
                #expect(error?.message.contains("list again and watch from the list's revision") == true)
            } catch {
                try await client.shutdown()
                throw error
            }
            try await client.shutdown()
        }
    }

    // Without the error the stream would go on live: the time limit turns that into a failure.
    @Test(.timeLimit(.minutes(1)))
    func aReplayThatFallsBehindCompactionEndsWithAnErrorEvent() async throws {
        let directory = try TemporaryDirectory("steward-watch-compaction")
        defer { directory.remove() }
        let owner = Identity.generate()
        let sqlite = try SQLiteStore(path: directory.path + "/steward.db")
        defer { sqlite.close() }
        _ = try await sqlite.ensureNamespace("default", owner: owner.id)
        _ = try await sqlite.createDefinition(
            try ServiceDefinition(json: Fixtures.schemalessDefinition(kind: "Web", name: "webs.example.io")), in: "default")
        for name in ["a", "b", "c", "d"] {
            _ = try await sqlite.createService(
                Service(kind: "Web", metadata: ServiceMetadata(name: name), spec: [:]), in: "default", by: owner.id,
                admission: { _, service in service })
        }
        let first = try #require(try await sqlite.events(in: "default", after: 0, kind: nil, limit: 10).first?.revision)
        // The replay reads two events per page; before the second page, everything is compacted.
        let store = HookedEventsStore(sqlite) { read in
            if read == 1 { try await sqlite.compactEvents(before: Timestamp(Date().addingTimeInterval(10))) }
        }
        let router = Router(context: StewardRequestContext.self)
        router.add(middleware: ErrorMiddleware())
        router.add(
            middleware: SignatureMiddleware(
                nonces: NonceCache(window: 300, now: Int64(Date().timeIntervalSince1970)),
                replays: ReplayGuard(stored: [:], window: 300, now: Int64(Date().timeIntervalSince1970)) { _, _ in },
                maxClockSkew: 300, clock: { Date() }))
        WatchController(store: store, heartbeatInterval: 15, replayPageSize: 2).addRoutes(to: router.group("api/v1"))
        try await Application(router: router).test(.router) { client in
            let response = try await API(client: client, identity: owner)
                .request(.get, "/api/v1/namespaces/default/watch?from=\(first - 1)")
            #expect(response.status == .ok)
            let compacted = try await sqlite.compactedRevision(in: "default")
            let messages = response.text.components(separatedBy: "\n\n").filter { !$0.isEmpty }
            // The opening comment, the first page, then the error: nothing after it.
            #expect(messages.count == 4, "\(messages)")
            #expect(messages.dropFirst().first?.hasPrefix("id: \(first)\nevent: ADDED\n") == true)
            #expect(messages.dropFirst(2).first?.hasPrefix("id: \(first + 1)\nevent: ADDED\n") == true)
            let expected = StewardError(
                .gone,
                "revision \(first + 1) is older than the oldest kept event of namespace 'default' (revision \(compacted) was compacted); list again and watch from the list's revision"
            )
            #expect(messages.last == "event: error\ndata: " + String(decoding: expected.json.serializedBytes(), as: UTF8.self))
        }
    }

    @Test func aStreamEndedByCompactionCarriesTheErrorAndTheClientThrowsIt() async throws {
        let error = StewardError(.gone, "revision 500 is older than the oldest kept event (revision 900 was compacted)")
        let message = String(buffer: WatchController.message(error))
        #expect(message.hasPrefix("event: error\ndata: {\"error\":{\"code\":\"gone\""))
        #expect(message.hasSuffix("}\n\n"))

        // An event, then the error: the client yields the event and throws the error.
        let event = WatchEvent(
            revision: 500, type: .added, objectType: .service, namespace: "default", kind: "Web", name: "a",
            object: ["kind": "Web", "metadata": ["name": "a", "namespace": "default"], "spec": [:], "status": [:]])
        var bytes = WatchController.message(event)
        var tail = WatchController.message(error)
        bytes.writeBuffer(&tail)
        var iterator = WatchStream(body: .bytes(bytes)).makeAsyncIterator()
        #expect(try await iterator.next()?.revision == 500)
        let thrown = await #expect(throws: StewardError.self) { try await iterator.next() }
        #expect(thrown == error)
    }
}
