import ArgumentParser

extension Steward.ServiceCommand.DefinitionCommand {
    /// `steward service definition add`.
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add a service definition from a spec file (JSON or YAML).",
            discussion: """
                The server compiles the definition's schema and refuses an invalid one with the reason. A kind is unique within a namespace. Owners only.

                EXAMPLE:
                  steward service definition add --spec executor-deployment-definition.json
                """
        )

        @OptionGroup var options: GlobalOptions

        @Option(help: ArgumentHelp("The definition file, JSON or YAML ('-' for standard input).", valueName: "file"))
        var spec: String

        func run() async throws {
            let document = try DocumentLoader.document(at: spec, command: "steward service definition add")
            let client = try options.makeClient()
            let definition = try await client.createDefinition(document)
            options.printer.emit(definition.json) {
                "definition/\(definition.metadata.name) created (kind \(definition.kind))\n"
            }
        }
    }
}
