import ArgumentParser

extension Steward.ServiceCommand {
    /// `steward service add`.
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add a service from a spec file (JSON or YAML).",
            discussion: """
                The file holds one service: `kind`, `metadata.name` (and optionally labels and annotations) and `spec`. The server finds the definition of the kind, applies its defaults and validates the spec; errors name the field. Members and owners.

                EXAMPLE:
                  steward service add --spec docker-executor-deployment.json
                  steward service add --spec web.yaml --namespace team-a
                """
        )

        @OptionGroup var options: GlobalOptions
        @OptionGroup var waiting: WaitOptions

        @Option(help: ArgumentHelp("The service file, JSON or YAML ('-' for standard input).", valueName: "file"))
        var spec: String

        func run() async throws {
            let document = try DocumentLoader.document(at: spec, command: "steward service add")
            let client = try options.makeClient()
            let service = try await client.createService(document)
            options.printer.emit(service.json) {
                "service/\(service.metadata.name) created (kind \(service.kind), generation \(service.metadata.generation))\n"
            }
            try await waiting.waitIfAsked(for: service, client: client)
        }
    }
}
