import Foundation
import Hummingbird
import JSONSchema
import StewardCore
import StewardStore

/// Services: members and owners manage them and read them; status is written through its own
/// endpoint (owners, for reconcilers).
struct ServicesController {
    typealias Context = StewardRequestContext

    let store: any Store & ReconciliationStore
    let schemas: SchemaCache
    let maxJSONDepth: Int

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("namespaces/{ns}/services", use: list)
        group.post("namespaces/{ns}/services", use: create)
        group.get("namespaces/{ns}/services/{name}", use: get)
        group.put("namespaces/{ns}/services/{name}", use: update)
        group.delete("namespaces/{ns}/services/{name}", use: delete)
        group.get("namespaces/{ns}/services/{name}/history", use: history)
        group.put("namespaces/{ns}/services/{name}/status", use: updateStatus)
    }

    @Sendable func list(_ request: Request, context: Context) async throws -> Response {
        let namespace = try context.parameter("ns")
        _ = try context.role(in: namespace, store: store)
        let kind = request.uri.queryParameters["kind"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        let selector = request.uri.queryParameters["labelSelector"].map(String.init)
        let labels = try LabelRules.parseSelector(selector)
        let paging = try ListPaging(
            request.uri.queryParameters,
            scope: ["list": "services", "namespace": .string(namespace), "kind": .string(kind ?? ""),
                    "labelSelector": .string(selector ?? "")])
        let list = try await store.listServices(
            in: namespace, kind: kind, labels: labels, page: PageRequest(after: try paging.afterName(), limit: paging.limit))
        // Every page reports the revision of the first: a watch from it replays whatever changed
        // while the pages were read.
        let revision = paging.token?.revision ?? list.revision
        var out = [UInt8]()
        out.reserveCapacity(list.items.reduce(32) { $0 + $1.count + 1 })
        out.append(contentsOf: #"{"items":["#.utf8)
        for (i, item) in list.items.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: item)
        }
        out.append(contentsOf: #"],"revision":"#.utf8)
        out.append(contentsOf: String(revision).utf8)
        if let token = paging.continueToken(after: list.next.map(JSON.string), revision: revision) {
            out.append(contentsOf: #","continue":"#.utf8)
            out.append(contentsOf: JSON.string(token).serializedBytes())
        }
        out.append(UInt8(ascii: "}"))
        return APIResponse.json(bytes: out)
    }

    @Sendable func get(_ request: Request, context: Context) async throws -> Response {
        let namespace = try context.parameter("ns")
        let name = try context.parameter("name")
        _ = try context.role(in: namespace, store: store)
        guard let bytes = try await store.serviceJSON(named: name, in: namespace) else {
            throw StewardError.notFound("service '\(name)' not found in namespace '\(namespace)'")
        }
        return APIResponse.json(bytes: bytes)
    }

    /// Reads a service from the body and checks it against the request's namespace and name.
    private func service(from context: Context, namespace: String, name: String?) throws -> Service {
        var json = try context.jsonBody(maxDepth: maxJSONDepth)
        if let name, case .object = json, json["metadata"]?["name"] == nil {
            if json["metadata"] == nil { json["metadata"] = .object([:]) }
            json["metadata"]?["name"] = .string(name)
        }
        let service = try Service(json: json)
        try LabelRules.validate(service.metadata.labels)
        if let name, service.metadata.name != name {
            throw StewardError.invalidInput(
                "metadata.name '\(service.metadata.name)' does not match the service '\(name)' in the path",
                field: "metadata.name")
        }
        if !service.metadata.namespace.isEmpty, service.metadata.namespace != namespace {
            throw StewardError.invalidInput(
                "metadata.namespace '\(service.metadata.namespace)' does not match the namespace '\(namespace)' of the request",
                field: "metadata.namespace")
        }
        return service
    }

    @Sendable func create(_ request: Request, context: Context) async throws -> Response {
        let namespace = try context.parameter("ns")
        _ = try context.role(in: namespace, store: store)
        let service = try service(from: context, namespace: namespace, name: nil)
        let created = try await store.createServiceReturningJSON(
            service, in: namespace, by: try context.caller(), admission: schemas.admission())
        return APIResponse.json(bytes: created.json, status: .created)
    }

    @Sendable func update(_ request: Request, context: Context) async throws -> Response {
        let namespace = try context.parameter("ns")
        _ = try context.role(in: namespace, store: store)
        let service = try service(from: context, namespace: namespace, name: try context.parameter("name"))
        let updated = try await store.updateService(
            service, in: namespace, by: try context.caller(), admission: schemas.updateAdmission())
        return APIResponse.json(updated.json)
    }

    @Sendable func delete(_ request: Request, context: Context) async throws -> Response {
        let namespace = try context.parameter("ns")
        _ = try context.role(in: namespace, store: store)
        // Without force, a service whose kind has a handler is marked deleting and removed when its
        // reconciler closes the delete process: 202 then, as Kubernetes answers a deletion that
        // waits for finalizers; 200 when the service is gone.
        let force = request.uri.queryParameters["force"].map { $0 == "true" || $0 == "1" } ?? false
        let (service, removed) = try await store.removeService(
            named: try context.parameter("name"), in: namespace, by: try context.caller(), force: force)
        return APIResponse.json(service.json, status: removed ? .ok : .accepted)
    }

    @Sendable func history(_ request: Request, context: Context) async throws -> Response {
        let namespace = try context.parameter("ns")
        let name = try context.parameter("name")
        _ = try context.role(in: namespace, store: store)
        let paging = try ListPaging(
            request.uri.queryParameters, scope: ["list": "history", "namespace": .string(namespace), "service": .string(name)])
        let entries = try await store.history(
            ofService: name, in: namespace, page: PageRequest(after: try paging.afterSequence(), limit: paging.limit))
        // A later page may be empty (its entries removed meanwhile); the first one only when
        // the service never existed.
        guard !entries.items.isEmpty || paging.token != nil else {
            throw StewardError.notFound("service '\(name)' not found in namespace '\(namespace)'")
        }
        return APIResponse.items(
            entries.items.map(\.json), continue: paging.continueToken(after: entries.next.map { .int(Int($0)) }))
    }

    @Sendable func updateStatus(_ request: Request, context: Context) async throws -> Response {
        let namespace = try context.parameter("ns")
        try await StatusWriteAuthorization.check(
            caller: try context.caller(), service: try context.parameter("name"), in: namespace,
            role: try context.role(in: namespace, store: store), store: store)
        let body = try FieldReader(try context.jsonBody(maxDepth: maxJSONDepth))
        guard let status = body.value("status") else {
            throw StewardError.invalidInput("required field 'status' is missing", field: "status")
        }
        let expected = try body.object("metadata")?.string("resourceVersion")
        let updated = try await store.updateServiceStatus(
            named: try context.parameter("name"), in: namespace, status: status, expectedResourceVersion: expected)
        return APIResponse.json(updated.json)
    }
}
