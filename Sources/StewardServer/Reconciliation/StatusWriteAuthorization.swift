import StewardCore
import StewardStore

/// Who may write a service's status: an owner of the namespace, or an identity that registered
/// an executor of the type named by the service's definition (`handler.executorType`).
enum StatusWriteAuthorization {
    static func check(
        caller: String, service name: String, in namespace: String, role: Role, store: any Store & ReconciliationStore
    ) async throws {
        if role == .owner { return }
        guard let service = try await store.service(named: name, in: namespace) else {
            throw StewardError.notFound("service '\(name)' not found in namespace '\(namespace)'")
        }
        func refused(_ needed: String) -> StewardError {
            .forbidden(
                "only owners of namespace '\(namespace)' or the identity of \(needed) may write the status of service '\(name)'")
        }
        guard let handlerType = try await store.definition(ofKind: service.kind, in: namespace)?.spec.handler?.executorType
        else {
            throw refused("an owner (kind '\(service.kind)' has no handler)")
        }
        guard try await store.hasExecutor(ofType: handlerType, registeredBy: caller, in: namespace) else {
            throw refused("an executor of type '\(handlerType)'")
        }
    }
}
