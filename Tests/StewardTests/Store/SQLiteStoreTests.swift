import Foundation
import JSONSchema
import StewardCore
import StewardStore
import Testing

@Suite("SQLite store")
struct SQLiteStoreTests {
    let owner = Identity.generate().id

    /// Accepts any spec; adds `replicas: 1` when missing, refuses a negative one.
    static let admission: ServiceAdmission = { _, service in
        var admitted = service
        if admitted.spec["replicas"] == nil { admitted.spec["replicas"] = 1 }
        if let replicas = admitted.spec["replicas"]?.intValue, replicas < 0 {
            throw StewardError(.validationFailed, "service validation failed: replicas must be 0 or more", field: "spec.replicas")
        }
        return admitted
    }

    func withStore<T>(_ body: (SQLiteStore, String) async throws -> T) async throws -> T {
        let directory = try TemporaryDirectory("steward-store")
        defer { directory.remove() }
        let path = directory.path + "/steward.db"
        let store = try SQLiteStore(path: path)
        defer { store.close() }
        _ = try await store.ensureNamespace("default", owner: owner)
        _ = try await store.createDefinition(
            try ServiceDefinition(json: Fixtures.schemalessDefinition(kind: "Web", name: "webs.example.io")), in: "default")
        return try await body(store, path)
    }

    func web(_ name: String, spec: JSON = ["image": "nginx"], labels: [String: String] = [:]) -> Service {
        Service(kind: "Web", metadata: ServiceMetadata(name: name, labels: labels), spec: spec)
    }

    @Test func createAssignsMetadataAndRecordsHistoryAndEvent() async throws {
        try await withStore { store, _ in
            let before = try await store.currentRevision()
            let created = try await store.createService(web("a"), in: "default", by: owner, admission: Self.admission)
            #expect(created.metadata.generation == 1)
            #expect(created.metadata.namespace == "default")
            #expect(created.metadata.uid.count == 36)
            #expect(created.spec["replicas"] == 1)
            #expect(created.metadata.resourceVersion == String(before + 1))
            #expect(try await store.currentRevision() == before + 1)
            let history = try await store.history(ofService: "a", in: "default")
            #expect(history.map(\.changeType) == [.created])
            let events = try await store.events(in: "default", after: before, kind: nil, limit: 10)
            #expect(events.map(\.type) == [.added])
            #expect(events.first?.object == created.json)
            let raw = try #require(try await store.serviceJSON(named: "a", in: "default"))
            #expect(try JSON(parsing: raw) == created.json)
        }
    }

    @Test func generationMovesOnlyWithTheSpec() async throws {
        try await withStore { store, _ in
            var service = try await store.createService(web("a"), in: "default", by: owner, admission: Self.admission)
            service.metadata.labels = ["tier": "front"]
            let relabelled = try await store.updateService(service, in: "default", by: owner, admission: Self.admission)
            #expect(relabelled.metadata.generation == 1)
            #expect(relabelled.metadata.resourceVersion != service.metadata.resourceVersion)
            var changed = relabelled
            changed.spec["image"] = "nginx:2"
            let updated = try await store.updateService(changed, in: "default", by: owner, admission: Self.admission)
            #expect(updated.metadata.generation == 2)
            let history = try await store.history(ofService: "a", in: "default")
            #expect(history.map(\.generation) == [2, 1])
            #expect(history.map(\.changeType) == [.updated, .created])
        }
    }

    @Test func staleResourceVersionConflicts() async throws {
        try await withStore { store, _ in
            let created = try await store.createService(web("a"), in: "default", by: owner, admission: Self.admission)
            var first = created
            first.spec["image"] = "one"
            _ = try await store.updateService(first, in: "default", by: owner, admission: Self.admission)
            var second = created
            second.spec["image"] = "two"
            await #expect(throws: StewardError.self) {
                try await store.updateService(second, in: "default", by: owner, admission: Self.admission)
            }
        }
    }

    @Test func statusSurvivesUserUpdatesAndKeepsGeneration() async throws {
        try await withStore { store, _ in
            let created = try await store.createService(web("a"), in: "default", by: owner, admission: Self.admission)
            let withStatus = try await store.updateServiceStatus(
                named: "a", in: "default", status: ["runningInstances": 3], expectedResourceVersion: nil)
            #expect(withStatus.metadata.generation == 1)
            var update = created
            update.metadata.resourceVersion = nil
            update.status = ["runningInstances": 0]
            update.spec["image"] = "nginx:2"
            let updated = try await store.updateService(update, in: "default", by: owner, admission: Self.admission)
            #expect(updated.status == ["runningInstances": 3])
        }
    }

    @Test func labelAndKindFiltersUseTheIndexTables() async throws {
        try await withStore { store, _ in
            _ = try await store.createDefinition(
                try ServiceDefinition(json: Fixtures.schemalessDefinition(kind: "Db", name: "dbs.example.io")), in: "default")
            _ = try await store.createService(web("a", labels: ["tier": "front", "app": "x"]), in: "default", by: owner, admission: Self.admission)
            _ = try await store.createService(web("b", labels: ["tier": "back"]), in: "default", by: owner, admission: Self.admission)
            _ = try await store.createService(
                Service(kind: "Db", metadata: ServiceMetadata(name: "c", labels: ["tier": "back"])), in: "default", by: owner,
                admission: Self.admission)
            func names(_ kind: String?, _ labels: [String: String]) async throws -> [String] {
                try await store.listServices(in: "default", kind: kind, labels: labels).items.map {
                    try JSON(parsing: $0)["metadata"]?["name"]?.stringValue ?? ""
                }
            }
            #expect(try await names(nil, [:]) == ["a", "b", "c"])
            #expect(try await names("Web", [:]) == ["a", "b"])
            #expect(try await names(nil, ["tier": "back"]) == ["b", "c"])
            #expect(try await names("Web", ["tier": "back"]) == ["b"])
            #expect(try await names(nil, ["tier": "front", "app": "x"]) == ["a"])
        }
    }

    @Test func oneFailingWriteInAGroupDoesNotFailTheOthers() async throws {
        try await withStore { store, _ in
            // 200 concurrent creates, every tenth of which fails admission: the writer commits
            // them in groups, each write in its own savepoint.
            let results = await withTaskGroup(of: (Int, Bool).self) { group in
                for i in 0..<200 {
                    group.addTask {
                        let spec: JSON = ["replicas": .int(i % 10 == 0 ? -1 : 2)]
                        do {
                            _ = try await store.createService(web("s\(i)", spec: spec), in: "default", by: owner, admission: Self.admission)
                            return (i, true)
                        } catch {
                            return (i, false)
                        }
                    }
                }
                var results = [Int: Bool]()
                for await (i, ok) in group { results[i] = ok }
                return results
            }
            for (i, ok) in results { #expect(ok == (i % 10 != 0), "write \(i)") }
            let list = try await store.listServices(in: "default", kind: "Web", labels: [:])
            #expect(list.items.count == 180)
            // Revisions are unique and dense over the committed writes.
            let events = try await store.events(in: "default", after: 0, kind: "Web", limit: 1000)
                .filter { $0.objectType == .service }
            #expect(events.count == 180)
            #expect(Set(events.map(\.revision)).count == 180)
            #expect(events.map(\.revision) == events.map(\.revision).sorted())
        }
    }

    @Test func definitionInUseCannotBeRemoved() async throws {
        try await withStore { store, _ in
            _ = try await store.createService(web("a"), in: "default", by: owner, admission: Self.admission)
            _ = try await store.createService(web("b"), in: "default", by: owner, admission: Self.admission)
            do {
                _ = try await store.deleteDefinition(named: "webs.example.io", in: "default")
                Issue.record("removed a definition in use")
            } catch let error as StewardError {
                #expect(error.code == .conflict)
                #expect(error.message == "2 service(s) of kind 'Web' still exist")
            }
            _ = try await store.deleteService(named: "a", in: "default", by: owner)
            _ = try await store.deleteService(named: "b", in: "default", by: owner)
            _ = try await store.deleteDefinition(named: "webs.example.io", in: "default")
            // The writer's definition cache forgot it: creating a service now fails.
            await #expect(throws: StewardError.self) {
                try await store.createService(web("c"), in: "default", by: owner, admission: Self.admission)
            }
        }
    }

    @Test func writesSurviveReopening() async throws {
        let directory = try TemporaryDirectory("steward-store")
        defer { directory.remove() }
        let path = directory.path + "/steward.db"
        do {
            let store = try SQLiteStore(path: path)
            _ = try await store.ensureNamespace("default", owner: owner)
            _ = try await store.createDefinition(
                try ServiceDefinition(json: Fixtures.schemalessDefinition(kind: "Web", name: "webs.example.io")), in: "default")
            _ = try await store.createService(web("kept"), in: "default", by: owner, admission: Self.admission)
            store.close()
        }
        let reopened = try SQLiteStore(path: path)
        defer { reopened.close() }
        #expect(reopened.role(of: owner, in: "default") == .owner)
        #expect(try await reopened.service(named: "kept", in: "default")?.spec["image"] == "nginx")
        #expect(try await reopened.ensureNamespace("default", owner: owner) == false)
    }

    @Test func lastOwnerCannotBeRemoved() async throws {
        try await withStore { store, _ in
            await #expect(throws: StewardError.self) { try await store.removeMember(owner, from: "default") }
            let other = Identity.generate().id
            _ = try await store.addMember(other, role: .owner, to: "default")
            try await store.removeMember(owner, from: "default")
            #expect(store.role(of: owner, in: "default") == nil)
        }
    }
}
