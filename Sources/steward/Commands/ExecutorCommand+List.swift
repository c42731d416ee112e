import ArgumentParser
import JSONSchema
import StewardCore

extension Steward.ExecutorCommand {
    /// `steward executor ls`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ls",
            abstract: "List the executors with their type, node and last heartbeat.",
            discussion: """
                EXAMPLE:
                  steward executor ls
                  steward executor ls -o json
                """
        )

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let client = try options.makeClient()
            let executors = try await client.executors()
            options.printer.emit(.object(["items": .array(executors.map(\.json))])) {
                [ProcessRenderer.executors(executors)]
            }
        }
    }
}
