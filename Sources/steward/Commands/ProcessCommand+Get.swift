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
                EXAMPLE:
                  steward process get --id 3f2a6c1e-...
                  steward process get --id 3f2a6c1e-... -o json
                """
        )

        @OptionGroup var options: GlobalOptions

        @Option(help: "The process id (from `steward process ls`).")
        var id: String

        func run() async throws {
            let client = try options.makeClient()
            let process = try await client.process(id: id)
            options.printer.emit(process.json) { ProcessRenderer.detail(process) }
        }
    }
}
