import Foundation
import Hummingbird
import JSONSchema
import StewardCore
import StewardStore

/// Processes: members list them; the executor holding one heartbeats and closes it; members ask
/// for a resync of a service and read its latest reconciliation.
struct ProcessesController {
    typealias Context = StewardRequestContext

    let store: any Store & ReconciliationStore
    let configuration: ReconciliationConfiguration
    let maxJSONDepth: Int
    let clock: @Sendable () -> Date

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("namespaces/{ns}/processes", use: list)
        group.get("namespaces/{ns}/processes/{id}", use: get)
        group.post("namespaces/{ns}/processes/{id}/heartbeat", use: heartbeat)
        group.post("namespaces/{ns}/processes/{id}/close", use: close)
        group.post("namespaces/{ns}/services/{name}/reconcile", use: reconcile)
        group.get("namespaces/{ns}/services/{name}/reconciliation", use: summary)
    }

    func nowMS() -> Int64 { clock().millisecondsSince1970 }

    @Sendable func list(_ request: Request, context: Context) async throws -> Response {
        let namespace = try context.parameter("ns")
        _ = try context.role(in: namespace, store: store)
        let query = request.uri.queryParameters
        let service = query["service"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        var state: ProcessState?
        if let text = query["state"].map(String.init), !text.isEmpty {
            guard let parsed = ProcessState(rawValue: text) else {
                throw StewardError.invalidInput(
                    "'state' must be one of \(ProcessState.allCases.map(\.rawValue).joined(separator: ", ")), got '\(text)'",
                    field: "state")
            }
            state = parsed
        }
        let paging = try ListPaging(
            query,
            scope: ["list": "processes", "namespace": .string(namespace), "service": .string(service ?? ""),
                    "state": .string(state?.rawValue ?? "")],
            defaultLimit: Self.defaultLimit)
        let page = try await store.processes(
            in: namespace, service: service, state: state,
            page: PageRequest(after: try paging.afterSequence(), limit: paging.limit))
        // The shortest prefix of each id that no other process id starts with: what
        // `steward process ls` shows, and what `process get` accepts.
        let lengths = try await store.uniquePrefixLengths(ofProcessIDs: page.items.map(\.id))
        var body: JSONObject = [
            "items": .array(page.items.map(\.json)), "uniqueIdPrefixLengths": .array(lengths.map { .int($0) }),
        ]
        if let token = paging.continueToken(after: page.next.map { .int(Int($0)) }) { body["continue"] = .string(token) }
        return APIResponse.json(.object(body))
    }

    @Sendable func get(_ request: Request, context: Context) async throws -> Response {
        let namespace = try context.parameter("ns")
        _ = try context.role(in: namespace, store: store)
        let id = try context.parameter("id")
        if let process = try await store.process(id: id, in: namespace) { return APIResponse.json(process.json) }
        // Not a whole id: a prefix of exactly one.
        let matches = try await store.processIDs(withPrefix: id, in: namespace, limit: Self.shownMatches + 1)
        switch matches.count {
        case 0:
            throw StewardError.notFound("process '\(id)' not found in namespace '\(namespace)'")
        case 1:
            guard let process = try await store.process(id: matches[0], in: namespace) else {
                throw StewardError.notFound("process '\(id)' not found in namespace '\(namespace)'")
            }
            return APIResponse.json(process.json)
        default:
            let shown = matches.prefix(Self.shownMatches).joined(separator: ", ")
            let more = matches.count > Self.shownMatches
            throw StewardError.invalidInput(
                "process id prefix '\(id)' is ambiguous in namespace '\(namespace)': \(more ? "more than \(Self.shownMatches)" : String(matches.count)) process ids start with it (\(shown)\(more ? ", ..." : "")); give more characters",
                field: "id")
        }
    }

    /// Processes listed when none asks for a limit.
    static let defaultLimit = 100
    /// The matches an ambiguous id prefix names.
    static let shownMatches = 10

    @Sendable func heartbeat(_ request: Request, context: Context) async throws -> Response {
        let namespace = try context.parameter("ns")
        _ = try context.role(in: namespace, store: store)
        let id = try context.parameter("id")
        let body = try FieldReader(try context.jsonBody(maxDepth: maxJSONDepth))
        // The store checks in its write that the named executor, registered by the caller, holds
        // the process (404, 409, 403).
        let process = try await store.renewLease(
            ofProcess: id, heldBy: try context.caller(), executor: try body.requiredString("executor"), in: namespace,
            leaseMS: configuration.leaseDuration.milliseconds, now: nowMS())
        return APIResponse.json(process.json)
    }

    @Sendable func close(_ request: Request, context: Context) async throws -> Response {
        let namespace = try context.parameter("ns")
        _ = try context.role(in: namespace, store: store)
        let id = try context.parameter("id")
        let body = try FieldReader(try context.jsonBody(maxDepth: maxJSONDepth))
        let executor = try body.requiredString("executor")
        let result = try body.requiredString("result")
        guard result == "success" || result == "failure" else {
            throw StewardError.invalidInput("'result' must be 'success' or 'failure', got '\(result)'", field: "result")
        }
        let process = try await store.closeProcess(
            id, heldBy: try context.caller(), executor: executor, in: namespace, succeeded: result == "success",
            error: try body.string("error"), backoff: configuration.backoff, now: nowMS())
        return APIResponse.json(process.json)
    }

    @Sendable func reconcile(_ request: Request, context: Context) async throws -> Response {
        let namespace = try context.parameter("ns")
        _ = try context.role(in: namespace, store: store)
        let process = try await store.requestReconciliation(
            ofService: try context.parameter("name"), in: namespace, now: nowMS())
        return APIResponse.json(process.json, status: .accepted)
    }

    @Sendable func summary(_ request: Request, context: Context) async throws -> Response {
        let namespace = try context.parameter("ns")
        _ = try context.role(in: namespace, store: store)
        let name = try context.parameter("name")
        guard let summary = try await store.reconciliationSummary(ofService: name, in: namespace) else {
            guard try await store.service(named: name, in: namespace) != nil else {
                throw StewardError.notFound("service '\(name)' not found in namespace '\(namespace)'")
            }
            return APIResponse.json(ReconciliationSummary(latest: nil, failures: 0, lastResult: nil, lastError: nil, lastClosedAtMS: nil).json)
        }
        return APIResponse.json(summary.json)
    }
}
