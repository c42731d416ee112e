import ArgumentParser

extension Steward.NamespaceCommand {
    /// `steward namespace add`.
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Create a namespace.",
            discussion: """
                Creates a namespace owned by --owner (by default the caller). Only owners of the `default` namespace may create namespaces.

                EXAMPLE:
                  steward namespace add --name team-a
                  steward namespace add --name team-b --owner <id from steward key generate>
                """
        )

        @OptionGroup var options: GlobalOptions

        @Option(help: "The namespace's name (lower-case letters, digits and '-').")
        var name: String

        @Option(help: ArgumentHelp("The identity id of the owner (default: the caller).", valueName: "id"))
        var owner: String?

        func run() async throws {
            let client = try options.makeClient()
            let namespace = try await client.createNamespace(name: name, owner: owner)
            options.printer.emit(namespace.json) { "namespace/\(namespace.name) created\n" }
        }
    }
}
