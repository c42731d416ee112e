import ArgumentParser
import StewardCore

extension Steward.ConfigCommand {
    /// `steward config use-context NAME`.
    struct UseContext: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "use-context",
            abstract: "Make a context the current one: the server, key and namespace the CLI uses.",
            discussion: """
                The names are those of `steward config get-contexts`; a server's own context is named after its data directory.

                EXAMPLE:
                  steward config use-context /home/me/project/.steward
                """
        )

        @Argument(help: ArgumentHelp("The context's name.", valueName: "name"))
        var name: String

        func run() async throws {
            let name = name
            let context = try ClientConfiguration.update(at: Steward.ConfigCommand.path) {
                (configuration: inout ClientConfiguration) throws(StewardError) -> ClientConfiguration.Context? in
                try configuration.useContext(name)
                return configuration.context(named: name)
            }
            Printer.write("Switched to context \(name) (\(context?.server ?? "-")).\n")
        }
    }
}
