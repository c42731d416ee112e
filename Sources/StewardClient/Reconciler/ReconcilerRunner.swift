import Foundation
import JSONSchema
import StewardCore

/// Runs a ``Reconciler`` as an executor: registers, long-polls for processes, heartbeats the
/// lease while the reconciler works, writes the returned status, closes the process, and keeps
/// going across server restarts (reconnecting with a capped backoff).
///
/// ```swift
/// let runner = ReconcilerRunner(client: client, configuration: .init(
///     executorName: "echo-1", executorType: "echo-reconciler"), reconciler: EchoReconciler())
/// try await runner.run()  // until the task is cancelled
/// ```
public struct ReconcilerRunner: Sendable {
    /// Who the executor is and how it paces itself.
    public struct Configuration: Sendable {
        /// Unique in the namespace.
        public var executorName: String
        /// Must equal the definitions' `handler.executorType`.
        public var executorType: String
        /// The machine's name (defaults to the host name).
        public var node: String
        /// The namespace to serve; nil: the client's.
        public var namespace: String?
        /// How long one assign request waits on the server.
        public var pollTimeout: Duration
        /// How often a held process's lease is renewed (well below the server's lease).
        public var heartbeatInterval: Duration
        /// Processes handled at once (each by its own long poll).
        public var concurrency: Int
        /// The longest pause between reconnection attempts.
        public var maxReconnectDelay: Duration

        public init(
            executorName: String, executorType: String, node: String = ProcessInfo.processInfo.hostName,
            namespace: String? = nil, pollTimeout: Duration = .seconds(30), heartbeatInterval: Duration = .seconds(5),
            concurrency: Int = 1, maxReconnectDelay: Duration = .seconds(5)
        ) {
            self.executorName = executorName
            self.executorType = executorType
            self.node = node
            self.namespace = namespace
            self.pollTimeout = pollTimeout
            self.heartbeatInterval = heartbeatInterval
            self.concurrency = max(1, concurrency)
            self.maxReconnectDelay = maxReconnectDelay
        }
    }

    /// What the runner did, for logs and tests.
    public enum Event: Sendable {
        case registered(Executor)
        case received(ReconciliationProcess)
        case closed(ReconciliationProcess, error: String?)
        /// The server took the process back (lease lost); the reconciler was cancelled.
        case leaseLost(processID: String, StewardError)
        /// The server could not be reached or refused; the runner retries.
        case connectionProblem(StewardError)
    }

    public let client: StewardClient
    public let configuration: Configuration
    public let reconciler: any Reconciler
    let onEvent: @Sendable (Event) -> Void

    public init(
        client: StewardClient, configuration: Configuration, reconciler: any Reconciler,
        onEvent: @escaping @Sendable (Event) -> Void = { _ in }
    ) {
        self.client = client
        self.configuration = configuration
        self.reconciler = reconciler
        self.onEvent = onEvent
    }

    private var namespace: String { configuration.namespace ?? client.configuration.namespace }

    /// Serves processes until the task is cancelled, then deregisters the executor: a long poll
    /// the server answers after the runner stopped listening would otherwise lease a process to
    /// nobody until the lease runs out, and deregistering hands such processes on at once.
    public func run() async throws {
        await register()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<configuration.concurrency {
                group.addTask { await self.pollLoop() }
            }
        }
        // Not cancelled with the caller: this request must go out after the cancellation.
        let client = self.client
        let name = configuration.executorName
        let namespace = self.namespace
        await Task {
            // At most two seconds: a server that is down must not hold up the shutdown.
            await withTaskGroup(of: Void.self) { group in
                group.addTask { try? await client.removeExecutor(name: name, namespace: namespace) }
                group.addTask { try? await Task.sleep(for: .seconds(2)) }
                await group.next()
                group.cancelAll()
            }
        }.value
    }

    /// Registers, retrying until it succeeds or the task is cancelled.
    private func register() async {
        var failures = 0
        while !Task.isCancelled {
            do {
                let executor = try await client.registerExecutor(
                    name: configuration.executorName, executorType: configuration.executorType, node: configuration.node,
                    namespace: namespace)
                onEvent(.registered(executor))
                return
            } catch {
                failures += 1
                onEvent(.connectionProblem(error))
                await pause(afterFailures: failures)
            }
        }
    }

    private func pause(afterFailures failures: Int) async {
        let policy = BackoffPolicy(initial: .milliseconds(100), maximum: configuration.maxReconnectDelay)
        try? await Task.sleep(for: policy.delay(afterFailures: failures))
    }

    private func pollLoop() async {
        var failures = 0
        while !Task.isCancelled {
            do {
                let process = try await client.assignProcess(
                    executor: configuration.executorName, timeout: configuration.pollTimeout, namespace: namespace)
                failures = 0
                if let process { await handle(process) }
            } catch {
                if Task.isCancelled { return }
                failures += 1
                onEvent(.connectionProblem(error))
                if error.code == .notFound {
                    // The server forgot the executor (a new data directory): register again.
                    await register()
                } else {
                    await pause(afterFailures: failures)
                }
            }
        }
    }

    /// Runs the reconciler with a heartbeat beside it; closes the process unless the lease was lost.
    func handle(_ process: ReconciliationProcess) async {
        onEvent(.received(process))
        let context = ReconcileContext(client: client, executorName: configuration.executorName, namespace: namespace)
        let outcome: Result<JSON?, Error>? = await withTaskGroup(of: Result<JSON?, Error>?.self) { group in
            group.addTask {
                do {
                    return .success(try await reconciler.reconcile(process, context: context))
                } catch {
                    return .failure(error)
                }
            }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: configuration.heartbeatInterval)
                    if Task.isCancelled { return nil }
                    do {
                        try await client.heartbeat(
                            process: process.id, executor: configuration.executorName, namespace: namespace)
                    } catch let error as StewardError where [.conflict, .notFound, .forbidden].contains(error.code) {
                        onEvent(.leaseLost(processID: process.id, error))
                        return nil
                    } catch {
                        // The server is unreachable (restarting): keep working; the lease was long.
                        onEvent(.connectionProblem(error as? StewardError ?? StewardError(.unavailable, "\(error)")))
                    }
                }
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        guard let outcome else { return }  // lease lost: another executor will get it
        var failure: String?
        switch outcome {
        case .success(let status):
            if process.reconciliation.action != .delete, let status {
                do {
                    try await writeStatus(status, for: process)
                } catch {
                    failure = "writing the status failed: \(error)"
                }
            }
        case .failure(let error):
            failure = Self.describe(error)
        }
        await close(process, error: failure)
    }

    static func describe(_ error: Error) -> String {
        if let error = error as? StewardError { return error.message }
        return String(describing: error)
    }

    private func writeStatus(_ status: JSON, for process: ReconciliationProcess) async throws {
        var status = status
        if case .object(var object) = status, object["observedGeneration"] == nil,
            let generation = process.reconciliation.new?["metadata"]?["generation"]
        {
            object["observedGeneration"] = generation
            status = .object(object)
        }
        try await retryingTransport {
            try await client.setStatus(name: process.serviceName, status: status, namespace: namespace)
        }
    }

    private func close(_ process: ReconciliationProcess, error: String?) async {
        do {
            try await retryingTransport {
                let closed = try await client.closeProcess(
                    id: process.id, executor: configuration.executorName, error: error, namespace: namespace)
                onEvent(.closed(closed, error: error))
            }
        } catch let error as StewardError {
            onEvent(.leaseLost(processID: process.id, error))
        } catch {
            onEvent(.connectionProblem(StewardError(.unavailable, "\(error)")))
        }
    }

    /// Retries `body` while the server is unreachable (for up to a minute): a restart must not
    /// lose a finished process's result.
    private func retryingTransport(_ body: () async throws -> Void) async throws {
        var failures = 0
        while true {
            do {
                try await body()
                return
            } catch let error as StewardError where error.code == .unavailable && failures < 120 && !Task.isCancelled {
                failures += 1
                onEvent(.connectionProblem(error))
                try? await Task.sleep(for: .milliseconds(500))
            }
        }
    }
}
