import Foundation
import Hummingbird
import JSONSchema
import ServiceLifecycle
import StewardCore
import StewardStore

/// Executors: members register reconcilers for an executor type, and executors long-poll for
/// the processes of that type.
struct ExecutorsController {
    typealias Context = StewardRequestContext

    let store: any Store & ReconciliationStore
    let configuration: ReconciliationConfiguration
    let maxJSONDepth: Int
    let clock: @Sendable () -> Date

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("namespaces/{ns}/executors", use: list)
        group.post("namespaces/{ns}/executors", use: register)
        group.get("namespaces/{ns}/executors/{name}", use: get)
        group.delete("namespaces/{ns}/executors/{name}", use: remove)
        group.post("namespaces/{ns}/executors/{name}/assign", use: assign)
    }

    func nowMS() -> Int64 { clock().millisecondsSince1970 }

    @Sendable func list(_ request: Request, context: Context) async throws -> Response {
        let namespace = try context.parameter("ns")
        _ = try context.role(in: namespace, store: store)
        return APIResponse.items(try await store.executors(in: namespace).map(\.json))
    }

    @Sendable func get(_ request: Request, context: Context) async throws -> Response {
        let namespace = try context.parameter("ns")
        _ = try context.role(in: namespace, store: store)
        return APIResponse.json(try await executor(try context.parameter("name"), in: namespace).json)
    }

    @Sendable func register(_ request: Request, context: Context) async throws -> Response {
        let namespace = try context.parameter("ns")
        _ = try context.role(in: namespace, store: store)
        let body = try FieldReader(try context.jsonBody(maxDepth: maxJSONDepth))
        let executor = try await store.registerExecutor(
            name: try body.requiredString("name"), executorType: try body.requiredString("executorType"),
            node: try body.string("node") ?? "", identity: try context.caller(), in: namespace, now: nowMS())
        return APIResponse.json(executor.json, status: .created)
    }

    @Sendable func remove(_ request: Request, context: Context) async throws -> Response {
        let namespace = try context.parameter("ns")
        let role = try context.role(in: namespace, store: store)
        let executor = try await executor(try context.parameter("name"), in: namespace)
        let caller = try context.caller()
        guard role == .owner || executor.identity == caller else {
            throw StewardError.forbidden(
                "only the identity that registered executor '\(executor.name)', or an owner of namespace '\(namespace)', may remove it")
        }
        try await store.removeExecutor(named: executor.name, in: namespace)
        return APIResponse.noContent()
    }

    /// Long poll: waits up to `timeout` seconds (query, default 30, at most the configured
    /// maximum) for a process; 200 with the process, 204 when none came.
    @Sendable func assign(_ request: Request, context: Context) async throws -> Response {
        let namespace = try context.parameter("ns")
        _ = try context.role(in: namespace, store: store)
        let executor = try await executor(try context.parameter("name"), in: namespace)
        let caller = try context.caller()
        guard executor.identity == caller else {
            throw StewardError.forbidden(
                "executor '\(executor.name)' was registered by another identity; only it may take its processes")
        }
        let timeoutMS = try Self.timeout(request, maximum: configuration.maxAssignWait)
        let leaseMS = configuration.leaseDuration.milliseconds
        let signals = store.processSignals
        let deadline = nowMS() + timeoutMS
        let store = self.store
        let found: ReconciliationProcess? = await cancelWhenGracefulShutdown { () async -> ReconciliationProcess? in
            var firstLook = true
            while !Task.isCancelled {
                let epoch = signals.epoch(namespace: namespace, executorType: executor.executorType)
                let now = nowMS()
                // The first look records the executor's heartbeat (once per request); a look after
                // a wake-up reads first and writes only when a process is ready for it.
                let look =
                    firstLook
                    ? try? await store.assignProcess(toExecutor: executor.name, in: namespace, leaseMS: leaseMS, now: now)
                    : try? await store.assignProcessIfReady(
                        toExecutor: executor.name, in: namespace, leaseMS: leaseMS, now: now)
                firstLook = false
                guard let (process, nextReadyAt) = look else { return nil }
                if let process { return process }
                let remaining = deadline - now
                if remaining <= 0 { return nil }
                let wait = min(remaining, nextReadyAt.map { max(1, $0 - now) } ?? remaining)
                await signals.wait(
                    namespace: namespace, executorType: executor.executorType, since: epoch, timeout: .milliseconds(wait))
            }
            return nil
        }
        guard let found else { return APIResponse.noContent() }
        return APIResponse.json(found.json)
    }

    /// The `timeout` query parameter in milliseconds: a number of seconds of 0 or more, clamped to
    /// `maximum` before it is converted (so that `1e16` waits the maximum, never overflows).
    static func timeout(_ request: Request, maximum: Duration) throws -> Int64 {
        let maximumMS = maximum.milliseconds
        guard let text = request.uri.queryParameters["timeout"].map(String.init), !text.isEmpty else {
            return min(30_000, maximumMS)
        }
        // Decimal numbers only: Double(_:) also reads "0x10", "nan" and "inf".
        guard text.utf8.allSatisfy({ (0x30...0x39).contains($0) || "+-.eE".utf8.contains($0) }),
            let seconds = Double(text), seconds >= 0, seconds.isFinite
        else {
            throw StewardError.invalidInput(
                "'timeout' must be a number of seconds of 0 or more (the server waits at most \(maximumMS) ms), got '\(text)'",
                field: "timeout")
        }
        let milliseconds = seconds * 1000
        return milliseconds >= Double(maximumMS) ? maximumMS : Int64(milliseconds)
    }

    private func executor(_ name: String, in namespace: String) async throws -> Executor {
        guard let executor = try await store.executor(named: name, in: namespace) else {
            throw StewardError.notFound("executor '\(name)' not found in namespace '\(namespace)'")
        }
        return executor
    }
}
