import Foundation
import JSONSchema
import StewardCore
import Testing

@testable import StewardStore

/// The retention of the event log on a real SQLite file: compaction deletes the events written
/// before a cutoff (given explicitly, so no test waits out a retention window), in bounded
/// writes, keeps each namespace's newest event, and a read from a compacted revision is `gone`.
@Suite("Event log compaction")
struct EventCompactionTests {
    let owner = Identity.generate().id

    static let admission: ServiceAdmission = { _, service in service }

    func withStore<T>(_ body: (SQLiteStore, String) async throws -> T) async throws -> T {
        let directory = try TemporaryDirectory("steward-compaction")
        defer { directory.remove() }
        let path = directory.path + "/steward.db"
        let store = try SQLiteStore(path: path)
        defer { store.close() }
        try await prepare(store, namespace: "default")
        return try await body(store, path)
    }

    func prepare(_ store: SQLiteStore, namespace: String) async throws {
        _ = try await store.ensureNamespace(namespace, owner: owner)
        _ = try await store.createDefinition(
            try ServiceDefinition(json: Fixtures.schemalessDefinition(kind: "Web", name: "webs.example.io")), in: namespace)
    }

    /// Creates service `name` in `namespace`; returns the revision of its event.
    @discardableResult
    func create(_ store: SQLiteStore, _ name: String, in namespace: String = "default") async throws -> Int64 {
        let service = try await store.createService(
            Service(kind: "Web", metadata: ServiceMetadata(name: name), spec: ["image": "nginx"]), in: namespace, by: owner,
            admission: Self.admission)
        return try #require(Int64(service.metadata.resourceVersion ?? ""))
    }

    /// The revisions the log holds for `namespace`, oldest first.
    func revisions(_ store: SQLiteStore, in namespace: String = "default") async throws -> [Int64] {
        try await store.events(in: namespace, after: store.compactedRevision(in: namespace), kind: nil, limit: 10_000)
            .map(\.revision)
    }

    /// Moves the events up to `revision` back in time by `seconds`, as if written that long ago.
    func age(_ path: String, upTo revision: Int64, by seconds: Int64) throws {
        let db = try SQLiteConnection(path: path, create: false)
        try db.run("UPDATE events SET at = at - ? WHERE revision <= ?", .int(seconds), .int(revision))
    }

    /// A moment `seconds` from now.
    func later(_ seconds: TimeInterval) -> Timestamp { Timestamp(Date().addingTimeInterval(seconds)) }

    @Test func deletesOnlyTheEventsBeforeTheCutoff() async throws {
        try await withStore { store, path in
            var created: [Int64] = []
            for index in 0..<6 { created.append(try await create(store, "s\(index)")) }
            let all = try await revisions(store)
            #expect(all.count == 7)  // the definition and six services

            // Nothing is older than an hour: nothing goes.
            let none = try await store.compactEvents(before: later(-3600))
            #expect(none == .init(deleted: 0, batches: 1))
            #expect(try await revisions(store) == all)
            #expect(try await store.compactedRevision(in: "default") == 0)

            // The definition and the first three services were written two hours ago.
            try age(path, upTo: created[2], by: 7200)
            let result = try await store.compactEvents(before: later(-3600))
            #expect(result.deleted == 4)
            #expect(try await revisions(store) == Array(created[3...]))
            #expect(try await store.compactedRevision(in: "default") == created[2])
        }
    }

    @Test func deletesInBoundedBatchesAndKeepsTheNewestEventOfEachNamespace() async throws {
        try await withStore { store, _ in
            try await prepare(store, namespace: "other")
            var created: [Int64] = []
            for index in 0..<10 { created.append(try await create(store, "s\(index)")) }
            let otherNewest = try await create(store, "lonely", in: "other")
            let otherDefinition = try #require(try await revisions(store, in: "other").first)
            let listBefore = try await store.listServices(in: "default", kind: nil, labels: [:])
            let current = try await store.currentRevision()

            // Everything is older than the cutoff: 10 of default's 11 events and 1 of other's 2
            // go, 4 per write.
            let result = try await store.compactEvents(before: later(10), batchSize: 4)
            #expect(result == .init(deleted: 11, batches: 3))
            #expect(try await revisions(store) == [created[9]])
            #expect(try await revisions(store, in: "other") == [otherNewest])
            #expect(try await store.compactedRevision(in: "default") == created[8])
            #expect(try await store.compactedRevision(in: "other") == otherDefinition)

            // The revision a list reports (and that a watch starts from) does not move.
            let listAfter = try await store.listServices(in: "default", kind: nil, labels: [:])
            #expect(listAfter.revision == listBefore.revision)
            #expect(listAfter.items.count == 10)
            #expect(try await store.currentRevision() == current)
            let fromList = try await store.events(in: "default", after: listAfter.revision, kind: nil, limit: 10)
            #expect(fromList.isEmpty)

            // Compacting again deletes nothing more: the newest events stay.
            #expect(try await store.compactEvents(before: later(10), batchSize: 4) == .init(deleted: 0, batches: 1))

            // New writes get the next revisions as before.
            let next = try await create(store, "after")
            #expect(next == current + 1)
            #expect(try await revisions(store) == [created[9], next])
        }
    }

    @Test func aReadFromACompactedRevisionIsGone() async throws {
        try await withStore { store, _ in
            var created: [Int64] = []
            for index in 0..<3 { created.append(try await create(store, "s\(index)")) }
            try await store.compactEvents(before: later(10))
            let compacted = try await store.compactedRevision(in: "default")
            #expect(compacted == created[1])

            let error = await #expect(throws: StewardError.self) {
                try await store.events(in: "default", after: compacted - 1, kind: nil, limit: 10)
            }
            #expect(error?.code == .gone)
            #expect(
                error?.message
                    == "revision \(compacted - 1) is older than the oldest kept event of namespace 'default' (revision \(compacted) was compacted); list again and watch from the list's revision"
            )
            // From the compacted revision on, every event is there.
            #expect(try await store.events(in: "default", after: compacted, kind: nil, limit: 10).map(\.revision) == [created[2]])
            // Another namespace is not affected.
            try await prepare(store, namespace: "fresh")
            #expect(try await store.events(in: "fresh", after: 0, kind: nil, limit: 10).count == 1)
        }
    }

    @Test func aStoreFromThePreviousVersionMigrates() async throws {
        let directory = try TemporaryDirectory("steward-compaction-upgrade")
        defer { directory.remove() }
        let path = directory.path + "/steward.db"
        do {
            let store = try SQLiteStore(path: path)
            defer { store.close() }
            try await prepare(store, namespace: "default")
            for index in 0..<3 { try await create(store, "s\(index)") }
        }
        func migrated(_ db: SQLiteConnection) throws -> (table: Bool, recorded: Bool) {
            let table = try db.first("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'event_compaction'") { _ in true }
            let recorded = try db.first(
                "SELECT 1 FROM schema_migrations WHERE name = ?", .text(EventCompactionMigration.name)) { _ in true }
            return (table ?? false, recorded ?? false)
        }
        // Take the file back to the previous version's schema: without the table and its migration.
        do {
            let db = try SQLiteConnection(path: path, create: false)
            try db.execute("DROP TABLE event_compaction")
            try db.run("DELETE FROM schema_migrations WHERE name = ?", .text(EventCompactionMigration.name))
            #expect(try migrated(db) == (false, false))
        }

        let store = try SQLiteStore(path: path)
        defer { store.close() }
        let probe = try SQLiteConnection(path: path, create: false)
        #expect(try migrated(probe) == (true, true))
        // The old log is whole and readable from 0, then compacts like a new one.
        #expect(try await store.events(in: "default", after: 0, kind: nil, limit: 10).count == 4)
        #expect(try await store.compactEvents(before: later(10)).deleted == 3)
        #expect(try await store.compactedRevision(in: "default") == 3)
    }
}
