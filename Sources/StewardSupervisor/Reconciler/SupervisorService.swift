import Foundation
import JSONSchema
import Logging
import ServiceLifecycle
import StewardClient
import StewardCore

/// Runs a node's supervisor as a reconciler of `ProcessDeployment` services in every namespace
/// its identity is a member of: one ``ReconcilerRunner`` per namespace (new namespaces are
/// picked up within ``Configuration/namespaceRefresh``), each started after the namespace's
/// services were listed and handed to the supervisor, so that instances adopted after a
/// restart are matched with their services (or stopped when their service is gone).
///
/// On graceful shutdown the instances keep running (and are adopted by the next start) unless
/// ``Configuration/stopInstancesOnShutdown``.
public struct SupervisorService: ServiceLifecycle.Service {
    public struct Configuration: Sendable {
        /// The executor's name in each namespace (`process-<node>`).
        public var executorName: String
        public var node: String
        public var namespaceRefresh: Duration = .seconds(5)
        public var stopInstancesOnShutdown = false
        /// How often the node is heartbeated to the server (`steward node ls`).
        public var heartbeatInterval: Duration = .seconds(5)
        /// The version the heartbeat reports.
        public var version = ""
        /// Processes handled at once per namespace (a removal waits for its instances to stop),
        /// each by an assign long poll that holds a connection: the client's pool needs room
        /// for these and for status writes.
        public var concurrency = 4

        public init(node: String) {
            self.node = node
            self.executorName = "process-" + Self.label(node)
        }

        /// `node` as a name label: lowercase letters, digits and `-`.
        static func label(_ node: String) -> String {
            let mapped = node.lowercased().map { $0.isLetter && $0.isASCII || $0.isNumber && $0.isASCII ? $0 : "-" }
            let trimmed = String(mapped).trimmingCharacters(in: CharacterSet(charactersIn: "-"))
            return String((trimmed.isEmpty ? "node" : trimmed).prefix(50))
        }
    }

    let configuration: Configuration
    let supervisor: NodeSupervisor
    let client: @Sendable () async throws -> StewardClient
    let logger: Logger

    /// - Parameter client: the client to use, once the server can be reached (the in-process
    ///   supervisor waits for the server's port).
    public init(
        configuration: Configuration, supervisor: NodeSupervisor, logger: Logger,
        client: @escaping @Sendable () async throws -> StewardClient
    ) {
        self.configuration = configuration
        self.supervisor = supervisor
        self.client = client
        self.logger = logger
    }

    public func run() async throws {
        let supervisor = self.supervisor
        let supervising = Task { await supervisor.run() }
        let client: StewardClient
        do {
            client = try await self.client()
        } catch {
            // No server to talk to (it never listened, or the group is stopping): stop too.
            supervising.cancel()
            await supervising.value
            if error is CancellationError { return }
            throw error
        }
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.heartbeat(client: client) }
                var serving: Set<String> = []
                while !Task.isCancelled {
                    if let namespaces = try? await client.namespaces() {
                        for namespace in namespaces.map(\.name) where !serving.contains(namespace) {
                            serving.insert(namespace)
                            group.addTask { await self.serve(namespace, client: client) }
                        }
                    }
                    try? await Task.sleep(for: configuration.namespaceRefresh)
                }
                group.cancelAll()
            }
        }
        if configuration.stopInstancesOnShutdown {
            logger.info("stopping every instance (--stop-instances)")
            await supervisor.stopAll()
        }
        supervising.cancel()
        await supervising.value
        // A client with its own connection pool must close it before it goes.
        try? await client.shutdown()
    }

    /// Registers the node, then heartbeats it every ``Configuration/heartbeatInterval`` until
    /// cancelled. A refusal (another identity holds the name) is logged once per change of
    /// the error, and tried again at the next beat.
    private func heartbeat(client: StewardClient) async {
        var lastError: String?
        while !Task.isCancelled {
            var node = await supervisor.node
            node.version = configuration.version
            do {
                try await client.heartbeatNode(node)
                if lastError != nil { logger.info("node '\(node.name)' registered") }
                lastError = nil
            } catch {
                if error.message != lastError {
                    logger.warning("the heartbeat of node '\(node.name)' failed: \(error.message)")
                }
                lastError = error.message
            }
            try? await Task.sleep(for: configuration.heartbeatInterval)
        }
    }

    private func serve(_ namespace: String, client: StewardClient) async {
        await initialSync(namespace, client: client)
        let runner = ReconcilerRunner(
            client: client,
            configuration: .init(
                executorName: configuration.executorName, executorType: ProcessDeploymentDefinition.executorType,
                node: configuration.node, namespace: namespace, concurrency: configuration.concurrency),
            reconciler: ProcessDeploymentReconciler(supervisor: supervisor),
            onEvent: { event in
                if case .connectionProblem(let error) = event {
                    logger.debug("supervisor: \(error.message)", metadata: ["namespace": "\(namespace)"])
                }
            })
        try? await runner.run()
    }

    /// Hands every `ProcessDeployment` of `namespace` to the supervisor, then stops adopted
    /// instances whose service is gone. Retries until the server answers.
    private func initialSync(_ namespace: String, client: StewardClient) async {
        var failures = 0
        while !Task.isCancelled {
            do {
                var names: Set<String> = []
                var token: String?
                repeat {
                    let page = try await client.services(
                        kind: ProcessDeploymentDefinition.kind, limit: 500, continue: token, namespace: namespace)
                    for service in page.items {
                        names.insert(service.metadata.name)
                        guard service.metadata.deletionTimestamp == nil else { continue }
                        do {
                            await supervisor.apply(try DesiredService(service: service.json))
                        } catch {
                            logger.warning(
                                "a service's spec cannot be run: \(error.message)",
                                metadata: ["namespace": "\(namespace)", "service": "\(service.metadata.name)"])
                        }
                    }
                    token = page.continueToken
                } while token != nil
                await supervisor.reconcileKnown(namespace: namespace, names: names)
                return
            } catch {
                failures += 1
                try? await Task.sleep(for: .milliseconds(min(5000, 100 * failures)))
            }
        }
    }
}
