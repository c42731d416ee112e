import ArgumentParser
import JSONSchema
import StewardCore

extension Steward {
    /// `steward whoami`: the caller's identity and namespaces.
    struct WhoamiCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "whoami",
            abstract: "Show the identity the CLI signs with and its namespaces.",
            discussion: """
                Asks the server who the current key belongs to: its id and its role (owner or member) in each namespace. A quick way to check that the server, the key and the signing all work.

                EXAMPLE:
                  steward whoami
                  STEWARD_PRVKEY=<hex> steward whoami -o json
                """
        )

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let settings = try options.settings()
            let client = try settings.makeClient()
            let me = try await client.whoami()
            let json: JSON = .object([
                "id": .string(me.id),
                "namespaces": .array(me.namespaces.map { .object(["name": .string($0.name), "role": .string($0.role?.rawValue ?? "")]) }),
            ])
            options.printer.emit(json) {
                [
                    .keyValue(title: "Identity", [("ID", me.id), ("Server", settings.serverURL)]),
                    Table(
                        title: "Namespaces", headers: ["NAME", "ROLE"],
                        rows: me.namespaces.map { [$0.name, $0.role?.rawValue ?? "-"] }),
                ]
            }
        }
    }
}
