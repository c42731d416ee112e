import ArgumentParser
import JSONSchema

extension Steward.MemberCommand {
    /// `steward member ls`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ls",
            abstract: "List the members of the namespace.",
            discussion: """
                Lists every identity of the namespace with its role and when it was added.

                EXAMPLE:
                  steward member ls
                  steward member ls --namespace team-a -o json
                """
        )

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let client = try options.makeClient()
            let members = try await client.members(namespace: options.namespace)
            let namespace = options.namespace ?? client.configuration.namespace
            options.printer.emit(.object(["items": .array(members.map(\.json))])) {
                [
                    Table(
                        title: "Members of \(namespace)", headers: ["ID", "ROLE", "ADDED"],
                        rows: members.map { [$0.id, $0.role.rawValue, $0.addedAt.rfc3339] })
                ]
            }
        }
    }
}
