import JSONSchema
import StewardCore

/// Applies a definition's defaults to a service and validates its spec; throws a
/// ``StewardError`` (`validation_failed`) when the spec does not match. Runs inside the write
/// transaction, with the definition current at that moment.
public typealias ServiceAdmission = @Sendable (ServiceDefinition, Service) throws -> Service

/// ``ServiceAdmission`` for an update, which also sees the service as stored (`existing`), so
/// that it can let unchanged values that a tightened schema refuses stand (validation
/// ratcheting).
public typealias ServiceUpdateAdmission = @Sendable (_ definition: ServiceDefinition, _ service: Service, _ existing: Service) throws -> Service

/// The services of a list, each as its JSON wire form, and the store revision they reflect.
public struct ServiceList: Sendable {
    /// Each service's JSON (`{"kind", "metadata", "spec", "status"}`), UTF-8.
    public var items: [[UInt8]]
    /// The store revision at the time of the read; watch from it to follow later changes.
    public var revision: Int64
    /// The name of the last item when more services follow (the next page starts after it).
    public var next: String?
}

/// A service as a write stored it, with its JSON wire form (`{"kind", "metadata", "spec",
/// "status"}`, UTF-8) serialized once by the store, so that a response can send those bytes as
/// they are.
public struct WrittenService: Sendable {
    public var service: Service
    public var json: [UInt8]

    public init(service: Service, json: [UInt8]) {
        self.service = service
        self.json = json
    }
}

/// The durable state of Steward: namespaces and members, definitions, services, their history
/// and the event log.
///
/// Every write is one transaction that writes the object, its history entry and its event, and
/// returns only once committed to disk. Domain failures are thrown as ``StewardError``
/// (not found, conflict, invalid input); anything else is a storage failure.
public protocol Store: Sendable {
    /// The live event feed, fed after each commit.
    var watchHub: WatchHub { get }

    // MARK: Namespaces and members

    /// Creates `namespace` with `owner` as its first owner unless it exists; true when created.
    func ensureNamespace(_ namespace: String, owner: String) async throws -> Bool
    /// Creates a namespace owned by `owner`; 409 when it exists.
    func createNamespace(_ namespace: String, owner: String) async throws -> Namespace
    /// The namespaces `identity` belongs to, with its role in each.
    func namespaces(of identity: String) async throws -> [Namespace]
    /// The role of `identity` in `namespace`, or nil when it is not a member (or there is no
    /// such namespace). Served from memory: it runs on every request.
    func role(of identity: String, in namespace: String) -> Role?
    func members(of namespace: String) async throws -> [Member]
    /// Adds a member, or changes the role of an existing one.
    func addMember(_ identity: String, role: Role, to namespace: String) async throws -> Member
    /// Removes a member; refuses to remove the last owner.
    func removeMember(_ identity: String, from namespace: String) async throws

    // MARK: Definitions

    func createDefinition(_ definition: ServiceDefinition, in namespace: String) async throws -> ServiceDefinition
    /// Replaces the spec of the definition named `definition.metadata.name`.
    func updateDefinition(_ definition: ServiceDefinition, in namespace: String) async throws -> ServiceDefinition
    /// Removes a definition; 409 while services of its kind exist.
    func deleteDefinition(named name: String, in namespace: String) async throws -> ServiceDefinition
    func definition(named name: String, in namespace: String) async throws -> ServiceDefinition?
    /// The definition whose `spec.names.kind` is `kind`.
    func definition(ofKind kind: String, in namespace: String) async throws -> ServiceDefinition?
    /// The definitions of `namespace` by name, a page at a time.
    func definitions(in namespace: String, page: PageRequest<String>) async throws -> Page<ServiceDefinition, String>

    // MARK: Services

    func createService(
        _ service: Service, in namespace: String, by identity: String, admission: @escaping ServiceAdmission
    ) async throws -> Service
    /// ``createService(_:in:by:admission:)``, also returning the wire form as stored.
    func createServiceReturningJSON(
        _ service: Service, in namespace: String, by identity: String, admission: @escaping ServiceAdmission
    ) async throws -> WrittenService
    /// Replaces labels, annotations, finalizers and spec; keeps status. 409 when
    /// `service.metadata.resourceVersion` is set and stale.
    func updateService(
        _ service: Service, in namespace: String, by identity: String, admission: @escaping ServiceUpdateAdmission
    ) async throws -> Service
    /// Replaces the status; generation stays. 409 when `expectedResourceVersion` is set and stale.
    func updateServiceStatus(
        named name: String, in namespace: String, status: JSON, expectedResourceVersion: String?
    ) async throws -> Service
    /// Removes a service and returns its last state.
    func deleteService(named name: String, in namespace: String, by identity: String) async throws -> Service
    func service(named name: String, in namespace: String) async throws -> Service?
    /// The service's JSON wire form, straight from the store.
    func serviceJSON(named name: String, in namespace: String) async throws -> [UInt8]?
    /// Services of `namespace`, optionally of one kind and carrying all of `labels`, by name, a
    /// page at a time (the key is the name).
    func listServices(in namespace: String, kind: String?, labels: [String: String], page: PageRequest<String>)
        async throws -> ServiceList
    /// The spec changes of a service, newest first (empty when it never existed), a page at a
    /// time (the key orders the entries; smaller is older).
    func history(ofService name: String, in namespace: String, page: PageRequest<Int64>) async throws
        -> Page<HistoryEntry, Int64>

    // MARK: Events

    /// Events of `namespace` with a revision above `revision`, oldest first, at most `limit`.
    /// Throws `gone` when some of them were deleted by the event retention.
    func events(in namespace: String, after revision: Int64, kind: String?, limit: Int) async throws -> [WatchEvent]
    /// The revision of the last write.
    func currentRevision() async throws -> Int64
}

extension Store {
    /// All definitions of `namespace`, by name.
    public func definitions(in namespace: String) async throws -> [ServiceDefinition] {
        try await definitions(in: namespace, page: .all).items
    }

    /// All services of `namespace`, optionally of one kind and carrying all of `labels`, by name.
    public func listServices(in namespace: String, kind: String?, labels: [String: String]) async throws -> ServiceList {
        try await listServices(in: namespace, kind: kind, labels: labels, page: .all)
    }

    /// All spec changes of a service, newest first (empty when it never existed).
    public func history(ofService name: String, in namespace: String) async throws -> [HistoryEntry] {
        try await history(ofService: name, in: namespace, page: .all).items
    }

    /// ``updateService(_:in:by:admission:)`` with an admission that does not look at the stored
    /// service.
    public func updateService(
        _ service: Service, in namespace: String, by identity: String, admission: @escaping ServiceAdmission
    ) async throws -> Service {
        let update: ServiceUpdateAdmission = { definition, service, _ in try admission(definition, service) }
        return try await updateService(service, in: namespace, by: identity, admission: update)
    }
}
