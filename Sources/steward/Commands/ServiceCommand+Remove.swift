import ArgumentParser

extension Steward.ServiceCommand {
    /// `steward service remove`.
    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove a service.",
            discussion: """
                Marks the service deleting and gives its reconciler a delete process; the service disappears when the reconciler has torn down what it runs. --force removes it at once (and the reconciler is not told), also when it is already marked deleting. Kinds without a handler are removed at once. Members and owners.

                EXAMPLE:
                  steward service remove --name docker-executor --wait
                  steward service remove --name docker-executor --force
                """
        )

        @OptionGroup var options: GlobalOptions
        @OptionGroup var waiting: WaitOptions

        @Flag(help: "Remove at once, without waiting for the reconciler to tear down what it runs.")
        var force = false

        @Option(help: "The service's name.")
        var name: String

        func run() async throws {
            let client = try options.makeClient()
            let removal = try await client.removeServiceReportingOutcome(name: name, force: force)
            let service = removal.service
            options.printer.emit(service.json) {
                removal.removed
                    ? "service/\(service.metadata.name) removed\n"
                    : "service/\(service.metadata.name) marked for deletion; its reconciler removes it\n"
            }
            // A service already marked deleting that --force removed is gone: nothing to wait for.
            if !removal.removed { try await waiting.waitIfAsked(forRemovalOf: service, client: client) }
        }
    }
}
