import ArgumentParser

extension Steward.ServiceCommand {
    /// `steward service get`.
    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "get",
            abstract: "Show a service: metadata, spec, deployment status and instances.",
            discussion: """
                Shows the service's metadata (name, id, kind, generation, ...), its spec, the Deployment Status (running and total instances, last update) and the Instances table, both from the status reconcilers write (empty until one reports).

                EXAMPLE:
                  steward service get --name docker-executor
                  steward service get --name docker-executor -o json
                """
        )

        @OptionGroup var options: GlobalOptions

        @Option(help: "The service's name.")
        var name: String

        func run() async throws {
            let client = try options.makeClient()
            // The summary is only for the table, and optional there: asked for beside the service,
            // not after it. When the service is missing, its error is the one reported.
            async let summary = options.output == .table ? try? await client.reconciliation(ofService: name) : nil
            let service = try await client.service(name: name)
            let reconciliation = await summary
            options.printer.emit(service.json) {
                // The Reconciliation table goes after Service and Spec, before the status tables.
                var tables = ServiceRenderer.detail(service)
                if let table = reconciliation.flatMap(ProcessRenderer.summary) { tables.insert(table, at: min(2, tables.count)) }
                return tables
            }
        }
    }
}
