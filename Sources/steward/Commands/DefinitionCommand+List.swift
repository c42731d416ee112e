import ArgumentParser
import JSONSchema

extension Steward.ServiceCommand.DefinitionCommand {
    /// `steward service definition ls`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ls",
            abstract: "List the service definitions of the namespace.",
            discussion: """
                Shows each definition's name, kind, group, version and the executor type that reconciles its services.

                EXAMPLE:
                  steward service definition ls
                  steward service definition ls -o yaml
                """
        )

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let client = try options.makeClient()
            let definitions = try await client.definitions()
            options.printer.emit(.object(["items": .array(definitions.map(\.json))])) {
                [DefinitionRenderer.list(definitions, namespace: client.configuration.namespace)]
            }
        }
    }
}
