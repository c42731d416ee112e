import Foundation
import JSONSchema
import StewardCore
import Testing

@testable import StewardStore

/// A create serializes the service once and reuses the bytes for the row, the event, the
/// reconciliation process and the response: they must all be the same wire form.
@Suite("SQLite store: one encoding per create, time-ordered ids")
struct ServiceCreateEncodingTests {
    let owner = Identity.generate().id

    static let definition: JSON = [
        "metadata": ["name": "webs.example.io"],
        "spec": ["names": ["kind": "Web"], "handler": ["executorType": "web-reconciler"]],
    ]

    /// Fills in `replicas: 1`, as a schema default would.
    static let admission: ServiceAdmission = { _, service in
        var admitted = service
        if admitted.spec["replicas"] == nil { admitted.spec["replicas"] = 1 }
        return admitted
    }

    func withStore<T>(_ body: (SQLiteStore) async throws -> T) async throws -> T {
        let directory = try TemporaryDirectory("steward-create-encoding")
        defer { directory.remove() }
        let store = try SQLiteStore(path: directory.path + "/steward.db")
        defer { store.close() }
        _ = try await store.ensureNamespace("default", owner: owner)
        _ = try await store.createDefinition(try ServiceDefinition(json: Self.definition), in: "default")
        return try await body(store)
    }

    @Test func returnedBytesAreTheStoredEventAndProcessForms() async throws {
        try await withStore { store in
            let before = try await store.currentRevision()
            let service = Service(
                kind: "Web",
                metadata: ServiceMetadata(
                    name: "a", labels: ["tier": "front", "app": "x\"y"], annotations: ["note": "caf\u{e9} \\ /"],
                    finalizers: ["example.io/keep"]),
                spec: ["image": "nginx", "env": ["B": "2", "A": "1"], "ports": [80, 443]])
            let written = try await store.createServiceReturningJSON(
                service, in: "default", by: owner, admission: Self.admission)

            #expect(written.json == written.service.json.serializedBytes())
            #expect(written.service.spec["replicas"] == 1)
            #expect(written.service.metadata.resourceVersion == String(before + 1))
            #expect(try await store.serviceJSON(named: "a", in: "default") == written.json)

            let events = try await store.events(in: "default", after: before, kind: nil, limit: 10)
            #expect(events.count == 1)
            #expect(events.first?.object.serializedBytes() == written.json)

            let processes = try await store.processes(in: "default", service: "a", state: nil, limit: 10)
            #expect(processes.count == 1)
            #expect(processes.first?.reconciliation.new?.serializedBytes() == written.json)
            #expect(processes.first?.serviceUID == written.service.metadata.uid)

            let history = try await store.history(ofService: "a", in: "default")
            #expect(history.map(\.spec) == [written.service.spec])
        }
    }

    @Test func watchersGetTheCreatedObject() async throws {
        try await withStore { store in
            let live = store.watchHub.subscribe(namespace: "default")
            let written = try await store.createServiceReturningJSON(
                Service(kind: "Web", metadata: ServiceMetadata(name: "w"), spec: ["image": "nginx"]), in: "default",
                by: owner, admission: Self.admission)
            var iterator = live.makeAsyncIterator()
            let event = try #require(await iterator.next())
            #expect(event.type == .added)
            #expect(event.object.serializedBytes() == written.json)
        }
    }

    @Test func createOfAnExistingNameConflictsAndWritesNothing() async throws {
        try await withStore { store in
            let service = Service(kind: "Web", metadata: ServiceMetadata(name: "a"), spec: ["image": "nginx"])
            _ = try await store.createServiceReturningJSON(service, in: "default", by: owner, admission: Self.admission)
            let revision = try await store.currentRevision()
            await #expect(throws: StewardError.self) {
                try await store.createServiceReturningJSON(service, in: "default", by: self.owner, admission: Self.admission)
            }
            #expect(try await store.currentRevision() == revision)
            #expect(try await store.processes(in: "default", service: "a", state: nil, limit: 10).count == 1)
        }
    }

    @Test func idsAreVersion7UUIDsInCreationOrder() throws {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        var previous = ""
        for step in 0..<50 {
            let id = TimeOrderedUID.make(now: start.addingTimeInterval(Double(step) * 0.002))
            let parsed = try #require(UUID(uuidString: id))
            #expect(parsed.uuidString.lowercased() == id)
            let characters = Array(id)
            #expect(characters[14] == "7")
            #expect("89ab".contains(characters[19]))
            #expect(id > previous)
            previous = id
        }
        let milliseconds = UInt64(1_800_000_000_000)
        #expect(TimeOrderedUID.make(now: start).hasPrefix(String(milliseconds, radix: 16).leftPadded(to: 12).prefix(8)))
    }

    @Test func idsMadeInTheSameMillisecondDiffer() {
        let now = Date()
        let ids = (0..<1_000).map { _ in TimeOrderedUID.make(now: now) }
        #expect(Set(ids).count == ids.count)
    }

    /// The stored `createdAt`/`updatedAt` texts agree with Foundation's formatter and read back.
    @Test func timestampsFormatLikeFoundation() {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        var seconds: Int64 = 0
        while seconds < 253_402_300_799 {  // 9999-12-31T23:59:59Z
            let timestamp = Timestamp(secondsSince1970: seconds)
            #expect(timestamp.rfc3339 == formatter.string(from: timestamp.date))
            #expect(Timestamp(rfc3339: timestamp.rfc3339) == timestamp)
            seconds += 86_399 * 97 + 3_601
        }
    }

    @Test func formatWritesEveryNibbleInPlace() {
        #expect(
            TimeOrderedUID.format(0x0123_4567_89ab_cdef, 0xfedc_ba98_7654_3210) == "01234567-89ab-cdef-fedc-ba9876543210")
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
