import ArgumentParser
import JSONSchema
import StewardCore

extension Steward.ProcessCommand {
    /// `steward process get`.
    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "get",
            abstract: "Show one process: its state, lease, attempts, error and reconciliation.",
            discussion: """
                --id takes the whole id or any prefix of it that no other process of the namespace starts with, such as the one `steward process ls` shows. A prefix that several ids start with is refused with the matching ids; one that none starts with is not found.

                EXAMPLE:
                  steward process get --id 019ae3f2-1c4d
                  steward process get --id 019ae3f2-1c4d-7a31-9f02-6c1e5b7d2a40 -o json
                """
        )

        @OptionGroup var options: GlobalOptions

        @Option(help: "The process id, or a unique prefix of it (as `steward process ls` shows).")
        var id: String

        func run() async throws {
            let client = try options.makeClient()
            let process = try await client.process(id: id)
            options.printer.emit(process.json) { ProcessRenderer.detail(process) }
        }
    }
}
