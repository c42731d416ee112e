import ArgumentParser
import JSONSchema
import StewardCore

extension Steward.ProcessCommand {
    /// `steward process ls`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ls",
            abstract: "List processes, newest first.",
            discussion: """
                EXAMPLE:
                  steward process ls
                  steward process ls --service docker-executor --state waiting
                """
        )

        @OptionGroup var options: GlobalOptions

        @Option(help: "Only the processes of this service.")
        var service: String?

        @Option(help: "Only processes in this state: waiting, running, succeeded, superseded or cancelled.")
        var state: String?

        @Option(help: "The most processes shown.")
        var limit: Int = 100

        func validate() throws {
            if let state, ProcessState(rawValue: state) == nil {
                throw ValidationError(
                    "--state must be one of \(ProcessState.allCases.map(\.rawValue).joined(separator: ", ")), got '\(state)'")
            }
            guard limit > 0 && limit <= 10_000 else { throw ValidationError("--limit must be from 1 to 10000") }
        }

        func run() async throws {
            let client = try options.makeClient()
            let processes = try await client.processes(
                service: service, state: state.flatMap(ProcessState.init(rawValue:)), limit: limit)
            options.printer.emit(.object(["items": .array(processes.map(\.json))])) {
                [ProcessRenderer.list(processes)]
            }
        }
    }
}
