import ArgumentParser
import Foundation
import Logging
import StewardCore
import StewardServer
import StewardSupervisor

extension Steward {
    /// `steward server`: runs the control plane.
    struct ServerCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "server",
            abstract: "Run the Steward server (API and embedded store).",
            discussion: """
                Starts the API on --host:--port with its SQLite store under --home. On first start it creates the namespace `default`, writes its owner key to <home>/keys/owner.key (mode 0600). On every start it adds (or updates) its own context in the client configuration (server address, key path, namespace), named after the data directory, keeps the other servers' contexts, and prints the configuration's path, so that the CLI on this machine works without flags (`steward config get-contexts`, `steward config use-context`). Stops cleanly on SIGINT or SIGTERM.

                It also runs this node's supervisor: services of the built-in kind ProcessDeployment (in every namespace) run as local processes, restarted by their policy, with logs under <home>/logs. Instances keep running when the server stops (and are adopted at the next start) unless --stop-instances is given.

                Environment: STEWARD_HOME, STEWARD_HOST, STEWARD_NODE, STEWARD_PORT, STEWARD_KEEP_FINISHED_PROCESSES, STEWARD_EVENT_RETENTION, STEWARD_LOG_LEVEL, STEWARD_HEADER_TIMEOUT, STEWARD_IDLE_TIMEOUT, STEWARD_MAX_CONNECTIONS (flags win), STEWARD_CONFIG (the client configuration's path).

                EXAMPLE:
                  steward server
                  steward server --home /var/lib/steward --host 0.0.0.0 --port 7700
                  steward server --header-timeout 5s --idle-timeout 2m --max-connections 10000
                  steward server --log-level warning        # no line per request
                """
        )

        @Option(help: ArgumentHelp("The data directory (default: STEWARD_HOME or ./.steward).", valueName: "dir"))
        var home: String?

        @Option(help: ArgumentHelp("The address to listen on (default: STEWARD_HOST or 127.0.0.1).", valueName: "host"))
        var host: String?

        @Option(help: ArgumentHelp("The port to listen on (default: STEWARD_PORT or 7700).", valueName: "port"))
        var port: Int?

        @Option(help: ArgumentHelp("The largest request body accepted, in bytes (default: 1048576).", valueName: "bytes"))
        var maxBodySize: Int?

        @Option(help: ArgumentHelp("How long the event log keeps changes for `--watch` and the watch API to replay; older ones are deleted (the newest of each namespace stays) and a watch from before them must list again. More than zero: 1h, 30m, 90s or a number of seconds (default: STEWARD_EVENT_RETENTION or 1h).", valueName: "duration"))
        var eventRetention: CLIDuration?

        @Option(help: ArgumentHelp("What the server logs on standard error: trace, debug, info (each request, its start and shutdown), notice, warning, error or critical (default: STEWARD_LOG_LEVEL or info).", valueName: "level"))
        var logLevel: Logger.Level?

        @OptionGroup var reconciliation: ReconciliationServerOptions

        @OptionGroup var listener: ListenerServerOptions

        @OptionGroup(title: "Supervisor") var supervisor: SupervisorServerOptions

        func validate() throws {
            if let port, !(0...65535).contains(port) {
                throw ValidationError("--port must be between 0 and 65535, got \(port)")
            }
            if let maxBodySize, maxBodySize < 1024 {
                throw ValidationError("--max-body-size must be at least 1024 bytes, got \(maxBodySize)")
            }
        }

        func run() async throws {
            let environment = ProcessInfo.processInfo.environment
            var configuration = ServerConfiguration()
            if let home = try home ?? EnvironmentSetting("STEWARD_HOME").value(in: environment) {
                configuration.home = home
            }
            if let host = try host ?? EnvironmentSetting("STEWARD_HOST").value(in: environment) {
                configuration.host = host
            }
            if let port = try port ?? Self.portSetting.value(in: environment) {
                configuration.port = port
            }
            if let maxBodySize { configuration.maxBodySize = maxBodySize }
            if let level = try logLevel ?? Self.logLevelSetting.value(in: environment) {
                configuration.logLevel = level
            }
            configuration.eventRetention = try eventRetention(environment: environment)
            try reconciliation.apply(to: &configuration.reconciliation, environment: environment)
            try listener.apply(to: &configuration.listener, environment: environment)
            var logger = Logger(label: "steward.supervisor")
            logger.logLevel = configuration.logLevel
            let node = supervisor.nodeName(environment: environment)
            let stopInstances = supervisor.stopInstances
            let inProcess =
                supervisor.noSupervisor
                ? nil
                : InProcessSupervisor(home: configuration.absoluteHome, node: node, labels: try supervisor.labels(), logger: logger)
            // The logs endpoint reads the instance logs the supervisor writes under <home>/logs.
            try await runServer(
                configuration, logs: InstanceLogFiles(root: configuration.absoluteHome + "/logs"),
                operations: inProcess?.operations
            ) { components, listening in
                guard let inProcess else { return [] }
                return [inProcess.service(components: components, listening: listening, stopInstances: stopInstances)]
            }
        }

        static let portSetting = EnvironmentSetting(
            name: "STEWARD_PORT", rule: "a port number", parse: { Int($0).flatMap { (0...65535).contains($0) ? $0 : nil } })

        static let logLevelSetting = EnvironmentSetting(
            name: "STEWARD_LOG_LEVEL", rule: "one of trace, debug, info, notice, warning, error, critical",
            parse: { Logger.Level(rawValue: $0.lowercased()) })

        static let eventRetentionSetting = EnvironmentSetting.duration("STEWARD_EVENT_RETENTION", examples: "1h, 30m or 90s")

        /// The retention of the event log: the flag, else `STEWARD_EVENT_RETENTION`, else 1h.
        func eventRetention(environment: [String: String]) throws -> Duration {
            try eventRetention?.duration ?? Self.eventRetentionSetting.value(in: environment)
                ?? ServerConfiguration.defaultEventRetention
        }
    }
}
