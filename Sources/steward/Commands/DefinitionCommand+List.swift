import ArgumentParser
import JSONSchema

extension Steward.ServiceCommand.DefinitionCommand {
    /// `steward service definition ls`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ls",
            abstract: "List the service definitions of the namespace.",
            discussion: """
                Shows each definition's name, kind, group, version and the executor type that reconciles its services. The list is read in pages of --chunk-size definitions (default 500). -o json and -o yaml print what `steward apply -f` reads back.

                EXAMPLE:
                  steward service definition ls
                  steward service definition ls -o yaml
                """
        )

        @OptionGroup var options: GlobalOptions
        @OptionGroup var paging: PagingOptions

        func run() async throws {
            let client = try options.makeClient()
            try await paging.printList(options.printer) { limit, token in
                let page = try await client.definitions(limit: limit, continue: token)
                return (page.items, page.continueToken)
            } json: {
                $0.json
            } tables: {
                [DefinitionRenderer.list($0, namespace: client.configuration.namespace)]
            }
        }
    }
}
