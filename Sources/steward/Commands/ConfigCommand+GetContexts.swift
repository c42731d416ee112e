import ArgumentParser
import JSONSchema
import StewardCore

extension Steward.ConfigCommand {
    /// `steward config get-contexts`.
    struct GetContexts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "get-contexts",
            abstract: "List the contexts of the client configuration, the current one marked with *.",
            discussion: """
                EXAMPLE:
                  steward config get-contexts
                  steward config get-contexts -o json
                """
        )

        @Option(name: [.short, .long], help: "The output format: table, json or yaml.")
        var output: OutputFormat = .table

        func run() async throws {
            let configuration = try Steward.ConfigCommand.load()
            let items: [JSON] = configuration.contexts.map { context in
                guard case .object(var object) = context.json else { return context.json }
                object["current"] = .bool(context.name == configuration.currentContext)
                return .object(object)
            }
            Printer(format: output).emit(.object(["items": .array(items)])) {
                [
                    Table(
                        title: "Contexts in \(Steward.ConfigCommand.path)",
                        headers: ["CURRENT", "NAME", "SERVER", "NAMESPACE", "KEY FILE"],
                        rows: configuration.contexts.map { context in
                            [
                                context.name == configuration.currentContext ? "*" : "", context.name, context.server,
                                context.namespace ?? "default", context.prvkeyFile ?? "-",
                            ]
                        })
                ]
            }
        }
    }
}
