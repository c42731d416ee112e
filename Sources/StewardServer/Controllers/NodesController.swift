import Foundation
import Hummingbird
import JSONSchema
import StewardCore
import StewardStore

/// Nodes: the supervisors of `steward server` and `steward agent` register their machines and
/// heartbeat them; members list them (`steward node ls`).
struct NodesController {
    typealias Context = StewardRequestContext

    let store: SQLiteStore
    let gracePeriod: Duration
    let maxJSONDepth: Int
    let clock: @Sendable () -> Date

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("nodes", use: list)
        group.get("nodes/{name}", use: get)
        group.put("nodes/{name}", use: heartbeat)
        group.delete("nodes/{name}", use: remove)
    }

    /// Nodes are the server's, not a namespace's: any member of some namespace sees them.
    private func requireMember(_ context: Context) throws -> String {
        let caller = try context.caller()
        guard store.isMemberOfAnyNamespace(caller) else {
            throw StewardError.forbidden("only members of a namespace may see or register nodes")
        }
        return caller
    }

    private func json(_ node: Node) -> JSON {
        node.withState(nowMS: clock().millisecondsSince1970, graceMS: gracePeriod.milliseconds).json
    }

    private func node(_ context: Context) async throws -> Node {
        let name = try context.parameter("name")
        guard let node = try await store.node(named: name) else {
            throw StewardError.notFound("node '\(name)' not found; `steward node ls` lists the nodes")
        }
        return node
    }

    @Sendable func list(_ request: Request, context: Context) async throws -> Response {
        _ = try requireMember(context)
        return APIResponse.items(try await store.nodes().map(json))
    }

    @Sendable func get(_ request: Request, context: Context) async throws -> Response {
        _ = try requireMember(context)
        return APIResponse.json(json(try await node(context)))
    }

    /// Registers the node or records its heartbeat: the body is what it offers and runs
    /// (`labels`, `memoryCapacity`, `cpus`, `instances`, `version`).
    @Sendable func heartbeat(_ request: Request, context: Context) async throws -> Response {
        let caller = try requireMember(context)
        let name = try context.parameter("name")
        let node = try Node(json: try context.jsonBody(maxDepth: maxJSONDepth), name: name)
        let stored = try await store.heartbeatNode(node, identity: caller, now: clock().millisecondsSince1970)
        // Ready as of this heartbeat, however long the write took.
        return APIResponse.json(stored.withState(nowMS: stored.lastHeartbeatAtMS, graceMS: gracePeriod.milliseconds).json)
    }

    /// Forgets a node: its own identity, or an owner of the `default` namespace.
    @Sendable func remove(_ request: Request, context: Context) async throws -> Response {
        let caller = try requireMember(context)
        let node = try await node(context)
        guard node.identity == caller || store.role(of: caller, in: NamespacesController.adminNamespace) == .owner else {
            throw StewardError.forbidden(
                "only the identity that registered node '\(node.name)', or an owner of namespace '\(NamespacesController.adminNamespace)', may remove it")
        }
        try await store.removeNode(named: node.name)
        return APIResponse.noContent()
    }
}
