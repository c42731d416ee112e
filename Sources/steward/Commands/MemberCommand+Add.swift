import ArgumentParser
import StewardCore

extension Role: ExpressibleByArgument {}

extension Steward.MemberCommand {
    /// `steward member add`.
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add an identity to the namespace, or change its role.",
            discussion: """
                Gives the identity --id (from `steward key generate`) the role member or owner in the namespace. Owners only.

                EXAMPLE:
                  steward member add --id <id from steward key generate> --role member
                  steward member add --id <id> --role owner --namespace team-a
                """
        )

        @OptionGroup var options: GlobalOptions

        @Option(help: ArgumentHelp("The identity id (64 hex characters).", valueName: "id"))
        var id: String

        @Option(help: "The role: member or owner.")
        var role: Role = .member

        func run() async throws {
            let client = try options.makeClient()
            let member = try await client.addMember(id: id, role: role, namespace: options.namespace)
            options.printer.emit(member.json) { "member/\(member.id) added as \(member.role.rawValue)\n" }
        }
    }
}
