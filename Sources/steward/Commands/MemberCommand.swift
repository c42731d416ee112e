import ArgumentParser

extension Steward {
    /// `steward member`: who may do what in a namespace.
    struct MemberCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "member",
            abstract: "Manage the members of a namespace.",
            discussion: """
                Owners add definitions and members; members manage services; both read. Only owners may add or remove members.

                EXAMPLE:
                  steward member add --id <id> --role member
                  steward member ls
                  steward member remove --id <id>
                """,
            subcommands: [Add.self, List.self, Remove.self]
        )
    }
}
