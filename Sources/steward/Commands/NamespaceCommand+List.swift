import ArgumentParser
import JSONSchema

extension Steward.NamespaceCommand {
    /// `steward namespace ls`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ls",
            abstract: "List the namespaces you belong to.",
            discussion: """
                Lists each namespace the caller is an owner or a member of, with the caller's role.

                EXAMPLE:
                  steward namespace ls
                  steward namespace ls -o yaml
                """
        )

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let client = try options.makeClient()
            let namespaces = try await client.namespaces()
            options.printer.emit(.object(["items": .array(namespaces.map(\.json))])) {
                [
                    Table(
                        title: "Namespaces", headers: ["NAME", "ROLE", "CREATED"],
                        rows: namespaces.map { [$0.name, $0.role?.rawValue ?? "-", $0.createdAt.rfc3339] })
                ]
            }
        }
    }
}
