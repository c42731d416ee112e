import ArgumentParser

extension Steward.ServiceCommand.DefinitionCommand {
    /// `steward service definition update`.
    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "update",
            abstract: "Replace a service definition from a spec file.",
            discussion: """
                The file names the definition in `metadata.name`; its spec replaces the current one. The new schema is compiled and an invalid one (or a default that fails its own subschema) is refused. Owners only.
                The existing services of the kind are then checked against the new schema, and a second line says how many no longer validate, naming the first five with their errors:
                  2 of 3 existing services of kind ExecutorDeployment no longer validate: a (required field 'tier' is missing), b (...)
                They stay stored; an update of such a service is still accepted when it leaves the invalid fields as they are (validation ratcheting, see docs/json-schema.md).

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
            let (definition, revalidation) = try await client.updateDefinitionReporting(document)
            var json = definition.json
            json["revalidation"] = revalidation?.json
            options.printer.emit(json) {
                "definition/\(definition.metadata.name) updated (generation \(definition.metadata.generation))\n"
                    + (revalidation.map { $0.summary(kind: definition.kind) + "\n" } ?? "")
            }
        }
    }
}
