import ArgumentParser
import JSONSchema
import StewardClient
import StewardCore

extension Steward.ServiceCommand {
    /// `steward service check`.
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Run the health check of every instance of a service now and print the results.",
            discussion: """
                Each instance's spec.healthCheck (exec, http or tcp) runs at once, outside its schedule; an instance of a service without a check passes while its process runs. Exits with status 1 when a check fails.

                EXAMPLE:
                  steward service check --name web
                  steward service check --name web -o json
                """
        )

        @OptionGroup var options: GlobalOptions

        @Option(help: "The service's name.")
        var name: String

        func run() async throws {
            let client = try options.makeClient()
            let results = try await client.checkService(name: name)
            options.printer.emit(.array(results.map(\.json))) {
                guard !results.isEmpty else { return "service/\(name) has no running instance to check\n" }
                return Table(
                    title: "Checks of \(name)", headers: ["INSTANCE", "RESULT", "MESSAGE"],
                    rows: results.map { [$0.instance, $0.passed ? "pass" : "FAIL", $0.message] }
                ).render()
            }
            if results.contains(where: { !$0.passed }) { throw ExitCode(1) }
        }
    }
}
