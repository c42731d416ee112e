import ArgumentParser
import Foundation
import StewardCore

extension Steward {
    /// `steward config`: the client configuration and its contexts.
    struct ConfigCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "config",
            abstract: "Show the client configuration and choose the server the CLI talks to.",
            discussion: """
                The client configuration ($STEWARD_CONFIG, else $XDG_CONFIG_HOME/steward/config.json, else ~/.config/steward/config.json) holds named contexts, each a server URL, a key file and a namespace, and the current context, which the CLI uses when --server, --prvkey, --namespace and their STEWARD_* variables are not given. Every `steward server` adds (or updates) its own context when it starts, named after its data directory, and keeps the others; it becomes the current context when there was none, or when the current one pointed at the same address.

                EXAMPLE:
                  steward config get-contexts
                  steward config use-context /home/me/project/.steward
                  steward config view -o json
                """,
            subcommands: [View.self, GetContexts.self, UseContext.self]
        )

        /// The path of the client configuration for this process's environment.
        static var path: String {
            ClientConfiguration.path(environment: ProcessInfo.processInfo.environment)
        }

        /// The client configuration; empty when there is no file.
        static func load() throws -> ClientConfiguration {
            try ClientConfiguration.load(from: path) ?? ClientConfiguration()
        }
    }
}
