import ArgumentParser
import JSONSchema

extension Steward.ServiceCommand.DefinitionCommand {
    /// `steward service definition remove`.
    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove a service definition.",
            discussion: """
                Refused while services of the definition's kind exist (remove them first). Owners only.

                EXAMPLE:
                  steward service definition remove --name executordeployments.compute.colonies.io
                """
        )

        @OptionGroup var options: GlobalOptions

        @Option(help: "The definition's name (metadata.name).")
        var name: String

        func run() async throws {
            let client = try options.makeClient()
            try await client.removeDefinition(name: name)
            options.printer.emit(.object(["name": .string(name), "removed": true])) { "definition/\(name) removed\n" }
        }
    }
}
