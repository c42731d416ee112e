import ArgumentParser
import JSONSchema

extension Steward.ServiceCommand {
    /// `steward service history`.
    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "history",
            abstract: "Show the spec changes of a service, newest first.",
            discussion: """
                Each spec change is recorded with its generation, the spec, who made it and when, and whether the service was created, updated or deleted. The history is read in pages of --chunk-size entries (default 500).

                EXAMPLE:
                  steward service history --name docker-executor
                  steward service history --name docker-executor -o json
                """
        )

        @OptionGroup var options: GlobalOptions

        @Option(help: "The service's name.")
        var name: String

        @OptionGroup var paging: PagingOptions

        func run() async throws {
            let client = try options.makeClient()
            try await paging.printList(options.printer) { limit, token in
                let page = try await client.history(name: name, limit: limit, continue: token)
                return (page.items, page.continueToken)
            } json: {
                $0.json
            } tables: {
                [ServiceRenderer.history($0, name: name)]
            }
        }
    }
}
