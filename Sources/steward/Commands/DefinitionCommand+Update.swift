import ArgumentParser

extension Steward.ServiceCommand.DefinitionCommand {
    /// `steward service definition update`.
    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "update",
            abstract: "Replace a service definition from a spec file.",
            discussion: """
                The file names the definition in `metadata.name`; its spec replaces the current one. The new schema is compiled and an invalid one is refused. Owners only.

                EXAMPLE:
                  steward service definition update --spec executor-deployment-definition.json
                """
        )

        @OptionGroup var options: GlobalOptions

        @Option(help: ArgumentHelp("The definition file, JSON or YAML ('-' for standard input).", valueName: "file"))
        var spec: String

        func run() async throws {
            let document = try DocumentLoader.document(at: spec, command: "steward service definition update")
            let client = try options.makeClient()
            let definition = try await client.updateDefinition(document)
            options.printer.emit(definition.json) {
                "definition/\(definition.metadata.name) updated (generation \(definition.metadata.generation))\n"
            }
        }
    }
}
