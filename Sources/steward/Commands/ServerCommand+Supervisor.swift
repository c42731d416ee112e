import Foundation
import Logging
import ServiceLifecycle
import StewardClient
import StewardCore
import StewardServer
import StewardSupervisor

/// The node's supervisor as `steward server` runs it: in the server's process, under the
/// server's identity (a member of every namespace), talking to the server's own API on loopback.
struct InProcessSupervisor {
    let supervisor: NodeSupervisor
    let node: String
    let logger: Logger
    private let clientBox = ClientBox()

    init(home: String, node: String, labels: [String: String], logger: Logger) {
        let clientBox = self.clientBox
        self.node = node
        self.logger = logger
        self.supervisor = NodeSupervisor(
            configuration: {
                var configuration = NodeSupervisor.Configuration(
                    node: node, recordsDirectory: home + "/instances", logsDirectory: home + "/logs")
                configuration.labels = labels
                return configuration
            }(),
            runtime: ProcessRuntime(),
            healthChecker: { probe, port, environment, directory, timeout in
                let result = await HealthProbe.run(
                    probe, port: port, environment: environment, workingDirectory: directory, timeout: timeout)
                return (result.passed, result.message)
            },
            statusSink: { namespace, name, status in
                guard let client = await clientBox.client else { return }
                do {
                    _ = try await client.setStatus(name: name, status: status, namespace: namespace)
                } catch let error as StewardError {
                    // A removed service has no status to write.
                    if error.code != .notFound {
                        logger.warning("writing a status failed: \(error.message)", metadata: ["service": "\(namespace)/\(name)"])
                    }
                } catch {}
            },
            logger: logger)
    }

    /// The supervisor's service, which reconciles once the server listens.
    func service(components: StewardServerComponents, listening: ListeningPort, stopInstances: Bool) -> any ServiceLifecycle.Service {
        var configuration = SupervisorService.Configuration(node: node)
        configuration.stopInstancesOnShutdown = stopInstances
        configuration.version = StewardVersion.current
        let clientBox = self.clientBox
        return SupervisorService(configuration: configuration, supervisor: supervisor, logger: logger) {
            let port = try await listening.wait()
            // Its own pool: each namespace holds `concurrency` assign long polls open, and status
            // writes must not queue behind them (a shared pool's 8 connections would all be polls).
            let client = StewardClient(
                configuration: .init(serverURL: "http://127.0.0.1:\(port)", identity: components.server), maxConnections: 1024)
            await clientBox.set(client)
            return client
        }
    }

    /// What the API's `check` and `signal` routes call.
    var operations: any NodeOperations { Operations(supervisor: supervisor) }

    private struct Operations: NodeOperations {
        let supervisor: NodeSupervisor

        func check(namespace: String, service: String) async -> [InstanceCheckResult] {
            await supervisor.check(namespace: namespace, name: service).map {
                InstanceCheckResult(instance: $0.instance, passed: $0.passed, message: $0.message)
            }
        }

        func signal(namespace: String, service: String, signal: Int32) async -> [String] {
            await supervisor.signal(namespace: namespace, name: service, signal: signal)
        }
    }
}

/// The supervisor's client, known once the server listens.
private actor ClientBox {
    var client: StewardClient?
    func set(_ client: StewardClient) { self.client = client }
}
