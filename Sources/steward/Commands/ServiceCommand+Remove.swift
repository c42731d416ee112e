import ArgumentParser

extension Steward.ServiceCommand {
    /// `steward service remove`.
    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove a service.",
            discussion: """
                Deletes the service; its reconciler is told to tear down what it runs. Members and owners.

                EXAMPLE:
                  steward service remove --name docker-executor
                """
        )

        @OptionGroup var options: GlobalOptions

        @Option(help: "The service's name.")
        var name: String

        func run() async throws {
            let client = try options.makeClient()
            let service = try await client.removeService(name: name)
            options.printer.emit(service.json) { "service/\(service.metadata.name) removed\n" }
        }
    }
}
