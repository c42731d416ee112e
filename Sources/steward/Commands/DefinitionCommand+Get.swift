import ArgumentParser

extension Steward.ServiceCommand.DefinitionCommand {
    /// `steward service definition get`.
    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "get",
            abstract: "Show a service definition and its schema.",
            discussion: """
                Shows the definition's names, group, version, scope and handler, and one row per schema property with its type, whether it is required, its default and its description.

                EXAMPLE:
                  steward service definition get --name executordeployments.compute.colonies.io
                  steward service definition get --name executordeployments.compute.colonies.io -o json
                """
        )

        @OptionGroup var options: GlobalOptions

        @Option(help: "The definition's name (metadata.name).")
        var name: String

        func run() async throws {
            let client = try options.makeClient()
            let definition = try await client.definition(name: name)
            options.printer.emit(definition.json) { DefinitionRenderer.detail(definition) }
        }
    }
}
