import ArgumentParser
import JSONSchema

extension Steward.MemberCommand {
    /// `steward member remove`.
    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove an identity from the namespace.",
            discussion: """
                The identity loses all access to the namespace. Owners only.

                EXAMPLE:
                  steward member remove --id <id>
                """
        )

        @OptionGroup var options: GlobalOptions

        @Option(help: ArgumentHelp("The identity id to remove.", valueName: "id"))
        var id: String

        func run() async throws {
            let client = try options.makeClient()
            try await client.removeMember(id: id, namespace: options.namespace)
            options.printer.emit(.object(["id": .string(id), "removed": true])) { "member/\(id) removed\n" }
        }
    }
}
