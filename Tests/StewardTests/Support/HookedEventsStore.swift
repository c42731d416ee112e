import JSONSchema
import StewardCore
import StewardStore
import Synchronization

/// A real ``SQLiteStore`` whose event log reads first run a hook, given how many reads came
/// before: a test can change the store between two pages of a watch's replay (compact it, for
/// example). Everything else goes straight to the store.
final class HookedEventsStore: Store {
    let store: SQLiteStore
    private let hook: @Sendable (Int) async throws -> Void
    private let reads = Mutex(0)

    init(_ store: SQLiteStore, beforeEventsRead hook: @escaping @Sendable (Int) async throws -> Void) {
        self.store = store
        self.hook = hook
    }

    func events(in namespace: String, after revision: Int64, kind: String?, limit: Int) async throws -> [WatchEvent] {
        let index = reads.withLock { count in
            defer { count += 1 }
            return count
        }
        try await hook(index)
        return try await store.events(in: namespace, after: revision, kind: kind, limit: limit)
    }

    var watchHub: WatchHub { store.watchHub }

    func ensureNamespace(_ namespace: String, owner: String) async throws -> Bool {
        try await store.ensureNamespace(namespace, owner: owner)
    }

    func createNamespace(_ namespace: String, owner: String) async throws -> Namespace {
        try await store.createNamespace(namespace, owner: owner)
    }

    func namespaces(of identity: String) async throws -> [Namespace] { try await store.namespaces(of: identity) }

    func role(of identity: String, in namespace: String) -> Role? { store.role(of: identity, in: namespace) }

    func members(of namespace: String) async throws -> [Member] { try await store.members(of: namespace) }

    func addMember(_ identity: String, role: Role, to namespace: String) async throws -> Member {
        try await store.addMember(identity, role: role, to: namespace)
    }

    func removeMember(_ identity: String, from namespace: String) async throws {
        try await store.removeMember(identity, from: namespace)
    }

    func createDefinition(_ definition: ServiceDefinition, in namespace: String) async throws -> ServiceDefinition {
        try await store.createDefinition(definition, in: namespace)
    }

    func updateDefinition(_ definition: ServiceDefinition, in namespace: String) async throws -> ServiceDefinition {
        try await store.updateDefinition(definition, in: namespace)
    }

    func deleteDefinition(named name: String, in namespace: String) async throws -> ServiceDefinition {
        try await store.deleteDefinition(named: name, in: namespace)
    }

    func definition(named name: String, in namespace: String) async throws -> ServiceDefinition? {
        try await store.definition(named: name, in: namespace)
    }

    func definition(ofKind kind: String, in namespace: String) async throws -> ServiceDefinition? {
        try await store.definition(ofKind: kind, in: namespace)
    }

    func definitions(in namespace: String, page: PageRequest<String>) async throws -> Page<ServiceDefinition, String> {
        try await store.definitions(in: namespace, page: page)
    }

    func createService(
        _ service: Service, in namespace: String, by identity: String, admission: @escaping ServiceAdmission
    ) async throws -> Service {
        try await store.createService(service, in: namespace, by: identity, admission: admission)
    }

    func createServiceReturningJSON(
        _ service: Service, in namespace: String, by identity: String, admission: @escaping ServiceAdmission
    ) async throws -> WrittenService {
        try await store.createServiceReturningJSON(service, in: namespace, by: identity, admission: admission)
    }

    func updateService(
        _ service: Service, in namespace: String, by identity: String, admission: @escaping ServiceUpdateAdmission
    ) async throws -> Service {
        try await store.updateService(service, in: namespace, by: identity, admission: admission)
    }

    func updateServiceStatus(
        named name: String, in namespace: String, status: JSON, expectedResourceVersion: String?
    ) async throws -> Service {
        try await store.updateServiceStatus(
            named: name, in: namespace, status: status, expectedResourceVersion: expectedResourceVersion)
    }

    func deleteService(named name: String, in namespace: String, by identity: String) async throws -> Service {
        try await store.deleteService(named: name, in: namespace, by: identity)
    }

    func service(named name: String, in namespace: String) async throws -> Service? {
        try await store.service(named: name, in: namespace)
    }

    func serviceJSON(named name: String, in namespace: String) async throws -> [UInt8]? {
        try await store.serviceJSON(named: name, in: namespace)
    }

    func listServices(in namespace: String, kind: String?, labels: [String: String], page: PageRequest<String>)
        async throws -> ServiceList
    {
        try await store.listServices(in: namespace, kind: kind, labels: labels, page: page)
    }

    func history(ofService name: String, in namespace: String, page: PageRequest<Int64>) async throws
        -> Page<HistoryEntry, Int64>
    {
        try await store.history(ofService: name, in: namespace, page: page)
    }

    func currentRevision() async throws -> Int64 { try await store.currentRevision() }
}
