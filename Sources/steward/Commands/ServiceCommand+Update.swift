import ArgumentParser

extension Steward.ServiceCommand {
    /// `steward service update`.
    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "update",
            abstract: "Replace a service's spec, labels and annotations from a spec file.",
            discussion: """
                The file names the service in `metadata.name`. Its spec replaces the current one (defaults applied, validated); the generation moves when the spec changed. When the file carries `metadata.resourceVersion` and the service changed since, the update is refused (409). The status is kept.

                EXAMPLE:
                  steward service update --spec updated-deployment.json
                """
        )

        @OptionGroup var options: GlobalOptions
        @OptionGroup var waiting: WaitOptions

        @Option(help: ArgumentHelp("The service file, JSON or YAML ('-' for standard input).", valueName: "file"))
        var spec: String

        func run() async throws {
            let document = try DocumentLoader.document(at: spec, command: "steward service update")
            let client = try options.makeClient()
            let service = try await client.updateService(document)
            options.printer.emit(service.json) {
                "service/\(service.metadata.name) updated (generation \(service.metadata.generation))\n"
            }
            try await waiting.waitIfAsked(for: service, client: client)
        }
    }
}
