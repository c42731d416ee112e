import Hummingbird
import JSONSchema
import StewardCore
import StewardStore

/// Service definitions: owners write, members and owners read. A definition's schema is
/// compiled before it is stored, so an invalid schema is refused with the reason.
struct DefinitionsController {
    typealias Context = StewardRequestContext

    let store: any Store
    let schemas: SchemaCache
    let maxJSONDepth: Int

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("namespaces/{ns}/definitions", use: list)
        group.post("namespaces/{ns}/definitions", use: create)
        group.get("namespaces/{ns}/definitions/{name}", use: get)
        group.put("namespaces/{ns}/definitions/{name}", use: update)
        group.delete("namespaces/{ns}/definitions/{name}", use: delete)
    }

    @Sendable func list(_ request: Request, context: Context) async throws -> Response {
        let namespace = try context.parameter("ns")
        _ = try context.role(in: namespace, store: store)
        let paging = try ListPaging(
            request.uri.queryParameters, scope: ["list": "definitions", "namespace": .string(namespace)])
        let page = try await store.definitions(
            in: namespace, page: PageRequest(after: try paging.afterName(), limit: paging.limit))
        return APIResponse.items(page.items.map(\.json), continue: paging.continueToken(after: page.next.map(JSON.string)))
    }

    @Sendable func get(_ request: Request, context: Context) async throws -> Response {
        let namespace = try context.parameter("ns")
        let name = try context.parameter("name")
        _ = try context.role(in: namespace, store: store)
        guard let definition = try await store.definition(named: name, in: namespace) else {
            throw StewardError.notFound("ServiceDefinition '\(name)' not found in namespace '\(namespace)'")
        }
        return APIResponse.json(definition.json)
    }

    /// Reads and checks a definition from the body: its namespace, that its schema compiles
    /// without patterns known to take exponential time, and that its defaults satisfy their own
    /// subschemas.
    /// Returns the definition with its schema compiled (nil without a schema).
    private func definition(from context: Context, namespace: String, name: String?) throws
        -> (definition: ServiceDefinition, validator: SchemaValidator?)
    {
        var json = try context.jsonBody(maxDepth: maxJSONDepth)
        if let name, json["metadata"]?["name"] == nil {
            if json["metadata"] == nil { json["metadata"] = .object([:]) }
            json["metadata"]?["name"] = .string(name)
        }
        let definition = try ServiceDefinition(json: json)
        if let name, definition.metadata.name != name {
            throw StewardError.invalidInput(
                "metadata.name '\(definition.metadata.name)' does not match the definition '\(name)' in the path",
                field: "metadata.name")
        }
        if !definition.metadata.namespace.isEmpty, definition.metadata.namespace != namespace {
            throw StewardError.invalidInput(
                "metadata.namespace '\(definition.metadata.namespace)' does not match the namespace '\(namespace)' of the request",
                field: "metadata.namespace")
        }
        try definition.spec.handler?.checkAdmissible()
        let validator = try definition.spec.schema.map { try SchemaCache.compile($0, admitting: true) }
        return (definition, validator)
    }

    @Sendable func create(_ request: Request, context: Context) async throws -> Response {
        let namespace = try context.parameter("ns")
        try context.requireOwner(of: namespace, to: "add service definitions", store: store)
        let definition = try definition(from: context, namespace: namespace, name: nil).definition
        let stored = try await store.createDefinition(definition, in: namespace)
        return APIResponse.json(stored.json, status: .created)
    }

    @Sendable func update(_ request: Request, context: Context) async throws -> Response {
        let namespace = try context.parameter("ns")
        try context.requireOwner(of: namespace, to: "update service definitions", store: store)
        let (definition, validator) = try definition(from: context, namespace: namespace, name: try context.parameter("name"))
        let stored = try await store.updateDefinition(definition, in: namespace)
        var response = stored.json
        response["revalidation"] = try await revalidate(kind: stored.kind, against: validator, in: namespace).json
        return APIResponse.json(response)
    }

    /// Checks the existing services of `kind` against the definition's (new) schema, compiled
    /// once at admission, defaults applied as an admission would, so that an update that strands
    /// services says so.
    private func revalidate(kind: String, against validator: SchemaValidator?, in namespace: String) async throws -> ServiceRevalidation {
        let list = try await store.listServices(in: namespace, kind: kind, labels: [:])
        guard let validator else {
            return ServiceRevalidation(checked: list.items.count, invalid: 0, examples: [])
        }
        var invalid = 0
        var examples: [ServiceRevalidation.Example] = []
        for bytes in list.items {
            let service = try JSON(parsing: bytes)
            let errors = validator.validate(validator.applyingDefaults(to: service["spec"] ?? .object([:])))
            guard !errors.isEmpty else { continue }
            invalid += 1
            if examples.count < ServiceRevalidation.maxExamples {
                examples.append(.init(name: service["metadata"]?["name"]?.stringValue ?? "", errors: errors.map(\.message)))
            }
        }
        return ServiceRevalidation(checked: list.items.count, invalid: invalid, examples: examples)
    }

    @Sendable func delete(_ request: Request, context: Context) async throws -> Response {
        let namespace = try context.parameter("ns")
        try context.requireOwner(of: namespace, to: "remove service definitions", store: store)
        let removed = try await store.deleteDefinition(named: try context.parameter("name"), in: namespace)
        schemas.remove(uid: removed.metadata.uid)
        return APIResponse.noContent()
    }
}
