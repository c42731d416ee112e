import ArgumentParser
import StewardCore

extension Steward.ServiceCommand {
    /// `steward service set`.
    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Set one field of a service, such as spec.replicas.",
            discussion: """
                --key is a dotted path with optional indexes (spec.replicas, spec.env.LOG_LEVEL, spec.volumes[0].host, metadata.labels.tier). A key that holds '.', '[', ']' or '\\' goes in brackets with quotes: metadata.labels["app.kubernetes.io/name"] (quote the whole path for the shell); a '\\' outside brackets is refused, so spec.env.a\\.b is an error that suggests spec.env["a.b"]. --value is parsed as JSON (5, true, "text", {"a":1}) and taken as a plain string when it is not JSON. The change is a read-modify-write that retries when another writer got in between, so concurrent sets never lose one another.

                EXAMPLE:
                  steward service set --name docker-executor --key spec.replicas --value 5
                  steward service set --name docker-executor --key spec.env.LOG --value debug
                  steward service set --name docker-executor \\
                    --key 'metadata.labels["app.kubernetes.io/name"]' --value executor
                """
        )

        @OptionGroup var options: GlobalOptions
        @OptionGroup var waiting: WaitOptions

        @Option(help: "The service's name.")
        var name: String

        @Option(help: ArgumentHelp(#"The field to set, as a dotted path; keys with dots in brackets: metadata.labels["app.kubernetes.io/name"]."#, valueName: "path"))
        var key: String

        @Option(help: ArgumentHelp("The new value: JSON, or else a string.", valueName: "value"))
        var value: String

        func validate() throws {
            do {
                _ = try JSONPath(parsing: key)
            } catch {
                throw ValidationError("--key '\(key)' is not a valid path: \(error.message)")
            }
        }

        func run() async throws {
            let path = try JSONPath(parsing: key)
            let client = try options.makeClient()
            let service = try await client.setField(name: name, path: path, value: JSONPath.parseValue(value))
            options.printer.emit(service.json) {
                "service/\(service.metadata.name) \(key) set (generation \(service.metadata.generation))\n"
            }
            try await waiting.waitIfAsked(for: service, client: client)
        }
    }
}
