import Hummingbird
import JSONSchema
import StewardCore
import StewardStore

/// `check` and `signal` of a service's instances (Halon's `Check`, and its `Status` request as
/// a signal the service handles), served by the node's supervisor.
struct InstanceOperationsController {
    typealias Context = StewardRequestContext

    let store: any Store
    let operations: (any NodeOperations)?
    let maxJSONDepth: Int

    func addRoutes(to group: RouterGroup<Context>) {
        group.post("namespaces/{ns}/services/{name}/check", use: check)
        group.post("namespaces/{ns}/services/{name}/signal", use: signal)
    }

    /// The operations, after checking the caller's role and that the service exists.
    private func target(_ context: Context) async throws -> (any NodeOperations, String, String) {
        let namespace = try context.parameter("ns")
        let name = try context.parameter("name")
        _ = try context.role(in: namespace, store: store)
        guard try await store.service(named: name, in: namespace) != nil else {
            throw StewardError.notFound("service '\(name)' not found in namespace '\(namespace)'")
        }
        guard let operations else {
            throw StewardError(.unavailable, "this server runs no supervisor (it was started with --no-supervisor)")
        }
        return (operations, namespace, name)
    }

    @Sendable func check(_ request: Request, context: Context) async throws -> Response {
        let (operations, namespace, name) = try await target(context)
        let results = await operations.check(namespace: namespace, service: name)
        return APIResponse.items(results.map(\.json))
    }

    @Sendable func signal(_ request: Request, context: Context) async throws -> Response {
        let body = try FieldReader(try context.jsonBody(maxDepth: maxJSONDepth))
        let name = try body.requiredString("signal")
        guard let number = SpecValues.signal(name) else {
            throw StewardError.invalidInput(
                "'signal' '\(name)' is not a signal name; use one of \(SpecValues.signals.keys.sorted().joined(separator: ", "))",
                field: "signal")
        }
        let (operations, namespace, service) = try await target(context)
        let instances = await operations.signal(namespace: namespace, service: service, signal: number)
        return APIResponse.json(
            .object(["signal": .string(SpecValues.signalName(number)), "instances": .array(instances.map(JSON.string))]))
    }
}
