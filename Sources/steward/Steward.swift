import ArgumentParser
import Foundation
import StewardCore

/// The `steward` command: the CLI of the Steward control plane, and the server itself.
@main
struct Steward: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "steward",
        abstract: "A declarative service orchestrator.",
        discussion: """
            Describe kinds of services with definitions (a JSON Schema and a handler), declare services of those kinds, and let reconcilers make the world match.

            The CLI finds the server and its key by itself on the machine that runs `steward server`, through the current context of the client configuration (`steward config`); STEWARD_SERVER and STEWARD_PRVKEY (or --server and --prvkey) point it elsewhere.

            EXAMPLE:
              steward server &
              steward service definition add --spec examples/quickstart/executor-deployment-definition.json
              steward service add --spec examples/quickstart/docker-executor-deployment.json
              steward service get --name docker-executor
              steward config get-contexts
            """,
        version: StewardVersion.current,
        subcommands: [
            ServerCommand.self,
            KeyCommand.self,
            WhoamiCommand.self,
            NamespaceCommand.self,
            MemberCommand.self,
            ServiceCommand.self,
            ProcessCommand.self,
            ExecutorCommand.self,
            NodeCommand.self,
            ApplyCommand.self,
            SchemaCommand.self,
            ConfigCommand.self,
        ]
    )

    /// Runs the command line. Errors print `Error: <message>` on standard error and exit 1;
    /// usage errors print the usage and exit 2, and an unknown command names itself and the
    /// commands there are (exit 2).
    static func main() async {
        do {
            var command: ParsableCommand
            do {
                command = try parseAsRoot()
            } catch {
                // Only a command line that does not parse can name an unknown command.
                if let unknown = UnknownCommand.find(in: Array(CommandLine.arguments.dropFirst()), root: Steward.self) {
                    Terminal.writeError("Error: \(unknown)\n")
                    Foundation.exit(2)
                }
                throw error
            }
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { Printer.write(message + "\n") }
                Foundation.exit(0)
            }
            if !message.isEmpty { Terminal.writeError(message + "\n") }
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }
}
