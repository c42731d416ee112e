import ArgumentParser
import JSONSchema

extension Steward.ServiceCommand {
    /// `steward service history`.
    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "history",
            abstract: "Show the spec changes of a service, newest first.",
            discussion: """
                Each spec change is recorded with its generation, the spec, who made it and when, and whether the service was created, updated or deleted.

                EXAMPLE:
                  steward service history --name docker-executor
                  steward service history --name docker-executor -o json
                """
        )

        @OptionGroup var options: GlobalOptions

        @Option(help: "The service's name.")
        var name: String

        func run() async throws {
            let client = try options.makeClient()
            let entries = try await client.history(name: name)
            options.printer.emit(.object(["items": .array(entries.map(\.json))])) {
                [ServiceRenderer.history(entries, name: name)]
            }
        }
    }
}
