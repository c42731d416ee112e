import ArgumentParser
import StewardClient
import StewardCore
import UnixSignals

extension Steward.ExecutorCommand {
    /// `steward executor run`: a built-in reconciler served as an executor.
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Run a built-in reconciler as an executor until interrupted.",
            discussion: """
                Registers an executor of the given type, takes the processes of the kinds whose handler names that type, and reports their status. The built-in `echo` reconciler runs nothing: it reports every service Ready with spec.replicas instances (for trying the protocol, tests and benchmarks).

                EXAMPLE:
                  steward executor run --type echo-reconciler --name echo-1
                  steward executor run --type echo-reconciler --name echo-2 --fail "disk full"
                """
        )

        @OptionGroup var options: GlobalOptions

        @Option(name: .customLong("type"), help: "The executor type (the definitions' handler.executorType).")
        var executorType: String

        @Option(help: "The executor's name, unique in the namespace.")
        var name: String

        @Option(help: "The node name shown by `steward executor ls` (default: the host name).")
        var node: String?

        @Option(help: "The built-in reconciler: echo.")
        var reconciler: String = "echo"

        @Option(help: "Fail every process with this message (to try retries and backoff).")
        var fail: String?

        @Option(help: ArgumentHelp("How long each process takes, zero or more: 500ms, 2s, 1m or a number of seconds.", valueName: "duration"))
        var delay = CLIDuration.OrZero(.zero)

        @Option(help: "Processes handled at once.")
        var concurrency: Int = 1

        @Option(help: ArgumentHelp("How often a held process's lease is renewed, more than zero: 5s, 500ms, 1m or a number of seconds.", valueName: "duration"))
        var heartbeat = CLIDuration(.seconds(5))

        func validate() throws {
            guard reconciler == "echo" else { throw ValidationError("--reconciler must be 'echo', got '\(reconciler)'") }
            guard concurrency >= 1 && concurrency <= 256 else { throw ValidationError("--concurrency must be from 1 to 256") }
        }

        func run() async throws {
            let client = try options.makeClient()
            var configuration = ReconcilerRunner.Configuration(
                executorName: name, executorType: executorType, concurrency: concurrency)
            if let node { configuration.node = node }
            configuration.heartbeatInterval = heartbeat.duration
            let runner = ReconcilerRunner(
                client: client, configuration: configuration,
                reconciler: EchoReconciler(failure: fail, delay: delay.duration)
            ) { event in
                switch event {
                case .registered(let executor):
                    Printer.write("executor \(executor.name) registered for type \(executor.executorType)\n")
                case .received(let process):
                    Printer.write("process \(process.id) \(process.reconciliation.action.rawValue) service/\(process.serviceName) attempt \(process.attempt)\n")
                case .closed(let process, let error):
                    Printer.write("process \(process.id) closed: \(error.map { "failure: \($0)" } ?? "success")\n")
                case .leaseLost(let id, let error):
                    Printer.write("process \(id) lost: \(error.message)\n")
                case .connectionProblem(let error):
                    Terminal.writeError("server problem (retrying): \(error.message)\n")
                }
            }
            // SIGINT or SIGTERM cancels the runner: it stops taking processes and ends its work.
            let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
            await withTaskGroup(of: Void.self) { group in
                group.addTask { try? await runner.run() }
                group.addTask { for await _ in signals { return } }
                await group.next()
                group.cancelAll()
            }
        }
    }
}
