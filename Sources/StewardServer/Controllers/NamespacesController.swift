import Hummingbird
import JSONSchema
import StewardCore
import StewardStore

/// `whoami`, namespaces and members.
struct NamespacesController {
    typealias Context = StewardRequestContext

    let store: any Store
    let maxJSONDepth: Int
    /// Installs the built-in kinds into each new namespace (nil: none, in tests).
    var builtIns: BuiltInKinds?

    /// The namespace whose owners administer the server (may create namespaces).
    static let adminNamespace = "default"

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("whoami", use: whoami)
        group.get("namespaces", use: listNamespaces)
        group.post("namespaces", use: createNamespace)
        group.get("namespaces/{ns}/members", use: listMembers)
        group.post("namespaces/{ns}/members", use: addMember)
        group.delete("namespaces/{ns}/members/{id}", use: removeMember)
    }

    @Sendable func whoami(_ request: Request, context: Context) async throws -> Response {
        let id = try context.caller()
        let namespaces = try await store.namespaces(of: id)
        return APIResponse.json(
            .object([
                "id": .string(id),
                "namespaces": .array(
                    namespaces.map { .object(["name": .string($0.name), "role": .string($0.role?.rawValue ?? "member")]) }),
            ]))
    }

    @Sendable func listNamespaces(_ request: Request, context: Context) async throws -> Response {
        let namespaces = try await store.namespaces(of: try context.caller())
        return APIResponse.items(namespaces.map(\.json))
    }

    @Sendable func createNamespace(_ request: Request, context: Context) async throws -> Response {
        let caller = try context.caller()
        guard store.role(of: caller, in: Self.adminNamespace) == .owner else {
            throw StewardError.forbidden(
                "only owners of namespace '\(Self.adminNamespace)' may create namespaces")
        }
        let body = try FieldReader(try context.jsonBody(maxDepth: maxJSONDepth))
        let name = try body.requiredString("name")
        try NameRules.validateNamespaceName(name)
        let owner = try body.string("owner") ?? caller
        let namespace = try await store.createNamespace(name, owner: owner)
        try await builtIns?.install(in: name)
        return APIResponse.json(namespace.json, status: .created)
    }

    @Sendable func listMembers(_ request: Request, context: Context) async throws -> Response {
        let namespace = try context.parameter("ns")
        _ = try context.role(in: namespace, store: store)
        return APIResponse.items(try await store.members(of: namespace).map(\.json))
    }

    @Sendable func addMember(_ request: Request, context: Context) async throws -> Response {
        let namespace = try context.parameter("ns")
        try context.requireOwner(of: namespace, to: "add members", store: store)
        let body = try FieldReader(try context.jsonBody(maxDepth: maxJSONDepth))
        let id = try body.requiredString("id")
        let role = try Role(parsing: try body.string("role") ?? Role.member.rawValue)
        let member = try await store.addMember(id, role: role, to: namespace)
        return APIResponse.json(member.json, status: .created)
    }

    @Sendable func removeMember(_ request: Request, context: Context) async throws -> Response {
        let namespace = try context.parameter("ns")
        try context.requireOwner(of: namespace, to: "remove members", store: store)
        try await store.removeMember(try context.parameter("id"), from: namespace)
        return APIResponse.noContent()
    }
}
