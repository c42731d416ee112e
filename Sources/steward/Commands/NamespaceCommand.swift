import ArgumentParser

extension Steward {
    /// `steward namespace`: tenants.
    struct NamespaceCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "namespace",
            abstract: "Manage namespaces.",
            discussion: """
                A namespace holds definitions, services and members; nobody sees another namespace's objects. Owners of the namespace `default` administer the server and may create namespaces.

                EXAMPLE:
                  steward namespace add --name team-a --owner <id>
                  steward namespace ls
                """,
            subcommands: [Add.self, List.self]
        )
    }
}
