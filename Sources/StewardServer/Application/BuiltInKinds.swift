import Logging
import StewardCore
import StewardStore

/// Installs what every namespace has: the built-in `ProcessDeployment` definition, and the
/// server's identity as a member, so that the server's own supervisor may register its
/// executor, take processes and write status there like any reconciler.
struct BuiltInKinds: Sendable {
    let store: SQLiteStore
    /// The identity of the server's supervisor (`keys/server.key`).
    let serverIdentity: String
    let logger: Logger

    /// Installs into every namespace; at start.
    func installEverywhere() async throws {
        for namespace in try await store.allNamespaceNames() {
            try await install(in: namespace)
        }
    }

    /// Installs into `namespace` (new or existing); a stored definition that differs from this
    /// server's is replaced with it.
    func install(in namespace: String) async throws {
        if store.role(of: serverIdentity, in: namespace) == nil {
            _ = try await store.addMember(serverIdentity, role: .member, to: namespace)
        }
        let builtIn = ProcessDeploymentDefinition.definition
        if let stored = try await store.definition(named: builtIn.metadata.name, in: namespace) {
            guard stored.spec != builtIn.spec else { return }
            var updated = builtIn
            updated.metadata = stored.metadata
            _ = try await store.updateDefinition(updated, in: namespace)
            logger.info("updated the built-in definition", metadata: ["namespace": "\(namespace)", "definition": "\(builtIn.metadata.name)"])
        } else {
            do {
                _ = try await store.createDefinition(builtIn, in: namespace)
            } catch let error as StewardError where error.code == .conflict {
                // A user's definition already has the kind: theirs stays.
                logger.warning(
                    "the built-in kind is not installed: \(error.message)",
                    metadata: ["namespace": "\(namespace)", "kind": "\(ProcessDeploymentDefinition.kind)"])
            }
        }
    }
}
