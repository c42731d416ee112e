import ArgumentParser

extension Steward.ServiceCommand {
    /// `steward service definition`: kinds of services.
    struct DefinitionCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "definition",
            abstract: "Manage service definitions (kinds, schemas and handlers).",
            discussion: """
                A definition names a kind (spec.names.kind), the JSON Schema that validates services of that kind (with defaults), and the handler (executor type) that reconciles them. Only namespace owners may add, update or remove definitions.

                EXAMPLE:
                  steward service definition add --spec executor-deployment-definition.json
                  steward service definition ls
                  steward service definition get --name executordeployments.compute.colonies.io
                """,
            subcommands: [Add.self, List.self, Get.self, Update.self, Remove.self]
        )
    }
}
