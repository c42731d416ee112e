import ArgumentParser
import Foundation

extension Steward.ConfigCommand {
    /// `steward config view`.
    struct View: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "view",
            abstract: "Print the client configuration.",
            discussion: """
                Prints the contexts and the current context, as YAML (the default) or JSON. A configuration written by an earlier version (one server at the top level) is shown as the one context it becomes; the file itself changes at the next write (a server start or `steward config use-context`).

                EXAMPLE:
                  steward config view
                  steward config view -o json
                """
        )

        @Option(name: [.short, .long], help: "The output format: yaml or json.")
        var output: Format = .yaml

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case yaml, json
        }

        func run() async throws {
            let configuration = try Steward.ConfigCommand.load()
            Printer(format: output == .json ? .json : .yaml).emit(configuration.json) { "" }
        }
    }
}
