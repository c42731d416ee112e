import ArgumentParser

extension Steward.ServiceCommand {
    /// `steward service reconcile`.
    struct Reconcile: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reconcile",
            abstract: "Ask the service's reconciler to check it now (a resync process).",
            discussion: """
                Enqueues a resync process: the reconciler compares the desired state with what runs and repairs drift. Services whose definition sets handler.reconcileInterval get one periodically as well.

                EXAMPLE:
                  steward service reconcile --name docker-executor
                """
        )

        @OptionGroup var options: GlobalOptions

        @Option(help: "The service's name.")
        var name: String

        func run() async throws {
            let client = try options.makeClient()
            let process = try await client.reconcileService(name: name)
            options.printer.emit(process.json) {
                "service/\(name) queued for reconciliation (process \(process.id), action \(process.reconciliation.action.rawValue))\n"
            }
        }
    }
}
