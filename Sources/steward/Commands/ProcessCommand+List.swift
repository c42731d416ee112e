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
                Shows the newest --limit processes (default 100), read in pages of --chunk-size. Each id is shown by its shortest prefix, at least 8 characters, at which every id of the table is unique among all processes (ids are time-ordered, so ids made in the same millisecond share their first 13 characters); `steward process get --id` takes that prefix, or any other unique one.

                EXAMPLE:
                  steward process ls
                  steward process ls --service docker-executor --state waiting
                  steward process ls --limit 5000 -o json
                """
        )

        @OptionGroup var options: GlobalOptions

        @Option(help: "Only the processes of this service.")
        var service: String?

        @Option(help: "Only processes in this state: waiting, running, succeeded, superseded or cancelled.")
        var state: String?

        @Option(help: "The most processes shown.")
        var limit: Int = 100

        @OptionGroup var paging: PagingOptions

        func validate() throws {
            if let state, ProcessState(rawValue: state) == nil {
                throw ValidationError(
                    "--state must be one of \(ProcessState.allCases.map(\.rawValue).joined(separator: ", ")), got '\(state)'")
            }
            guard limit > 0 else { throw ValidationError("--limit must be at least 1, got \(limit)") }
        }

        func run() async throws {
            let client = try options.makeClient()
            let state = state.flatMap(ProcessState.init(rawValue:))
            try await paging.printList(options.printer, upTo: limit) { pageLimit, token in
                let page = try await client.processPage(service: service, state: state, limit: pageLimit, continue: token)
                return (Array(zip(page.items, page.uniqueIDPrefixLengths)), page.continueToken)
            } json: {
                $0.0.json
            } tables: { rows in
                [ProcessRenderer.list(rows.map(\.0), idLength: rows.map(\.1).max() ?? 0)]
            }
        }
    }
}
