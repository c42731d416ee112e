import ArgumentParser
import JSONSchema
import StewardClient
import StewardCore

extension Steward {
    /// `steward apply -f FILE`: create or update every object of a file.
    struct ApplyCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "apply",
            abstract: "Create or update the definitions and services of a file.",
            discussion: """
                The file (JSON or YAML, several YAML documents separated by '---', or a JSON array) holds definitions (documents with spec.names.kind) and services (documents with kind), or lists of them as `steward service ls -o yaml|json` and `steward service definition ls -o yaml|json` print them ({"items": [...]}). A document carrying metadata.resourceVersion (as those lists do) is refused with a conflict when the object changed since it was read. Definitions are applied first, then services, each in file order. For each object one line is printed:
                  <definition|service>/<name> created|configured|unchanged
                `unchanged` means the spec, labels and annotations already match (defaults included), and nothing is written. A definition update that leaves existing services invalid, and a service that its kind's current schema no longer accepts (unchanged, or configured with its invalid fields left as they were), print `Warning: <type>/<name>: ...` on standard error (the exit code stays 0). An object that fails prints `Error: <type>/<name>: <message>` on standard error; the others are still applied, and the exit code is 1.

                EXAMPLE:
                  steward apply -f stack.yaml
                  steward apply -f executor-deployment-definition.json
                  steward service ls -o yaml > services.yaml && steward apply -f services.yaml
                """
        )

        @OptionGroup var options: GlobalOptions

        @Option(name: [.short, .customLong("filename")], help: ArgumentHelp("The file to apply ('-' for standard input).", valueName: "file"))
        var file: String

        /// What apply did to one object.
        enum Outcome: String {
            case created, configured, unchanged
        }

        func run() async throws {
            let documents = try ApplyDocument.objects(of: try DocumentLoader.documents(at: file), file: file)
            guard !documents.isEmpty else {
                throw DocumentLoader.LoadError(description: "\(file) holds no document")
            }
            let client = try options.makeClient()
            var results: [JSON] = []
            var schemas = ApplySchemaCache()
            let ordered = documents.filter { $0.category == .definition } + documents.filter { $0.category == .service }
            var failures = 0
            for document in ordered {
                do {
                    let outcome: Outcome
                    switch document.category {
                    case .definition: outcome = try await applyDefinition(document, client: client)
                    case .service: outcome = try await applyService(document, client: client, schemas: &schemas)
                    }
                    results.append(.object(["object": .string(document.reference), "result": .string(outcome.rawValue)]))
                    if options.output == .table { Printer.write("\(document.reference) \(outcome.rawValue)\n") }
                } catch {
                    // One object's failure does not stop the others; the exit code reports it.
                    failures += 1
                    let message = (error as? StewardError)?.message ?? String(describing: error)
                    results.append(.object([
                        "object": .string(document.reference), "result": "failed", "error": .string(message),
                    ]))
                    Terminal.writeError("Error: \(document.reference): \(message)\n")
                }
            }
            if options.output != .table {
                options.printer.emit(.object(["items": .array(results)])) { "" }
            }
            if failures > 0 { throw ExitCode.failure }
        }

        private func applyDefinition(_ document: ApplyDocument, client: StewardClient) async throws -> Outcome {
            guard let current = try await Self.ifExists({ () async throws(StewardError) in try await client.definition(name: document.name, namespace: document.namespace) }) else {
                try await client.createDefinition(document.body, namespace: document.namespace)
                return .created
            }
            let desired = try ServiceDefinition(json: document.body)
            // Both read through the same model, so that its defaults (plural, singular, function name) compare equal.
            if desired.spec.json == current.spec.json {
                return .unchanged
            }
            let (updated, revalidation) = try await client.updateDefinitionReporting(document.body, namespace: document.namespace)
            if let revalidation, revalidation.invalid > 0 {
                Terminal.writeError("Warning: \(document.reference): \(revalidation.summary(kind: updated.kind))\n")
            }
            return .configured
        }

        /// The result of `read`, or nil when the server answers that the object does not exist.
        static func ifExists<T: Sendable>(_ read: () async throws(StewardError) -> T) async throws(StewardError) -> T? {
            do {
                return try await read()
            } catch {
                if error.code == .notFound { return nil }
                throw error
            }
        }

        private func applyService(_ document: ApplyDocument, client: StewardClient, schemas: inout ApplySchemaCache) async throws -> Outcome {
            guard let current = try await Self.ifExists({ () async throws(StewardError) in try await client.serviceDocument(name: document.name, namespace: document.namespace) }) else {
                try await client.createService(document.body, namespace: document.namespace)
                return .created
            }
            let kind = document.body["kind"]?.stringValue ?? ""
            let validator = try await schemas.validator(of: kind, namespace: document.namespace, client: client)
            if ApplyComparison.serviceIsUnchanged(desired: document.body, current: current, validator: validator) {
                // Nothing to write, but a service that a tightened schema no longer accepts must
                // not pass as fine.
                warnIfInvalid(document, spec: current["spec"], kind: kind, validator: validator, outcome: .unchanged)
                return .unchanged
            }
            // The server lets an update leave fields that a tightened schema refuses as they were.
            let updated = try await client.updateService(document.body, namespace: document.namespace)
            warnIfInvalid(document, spec: updated.spec, kind: kind, validator: validator, outcome: .configured)
            return .configured
        }

        /// Warns on standard error when `spec` does not validate against its kind's current schema.
        private func warnIfInvalid(_ document: ApplyDocument, spec: JSON?, kind: String, validator: SchemaValidator?, outcome: Outcome) {
            guard let validator else { return }
            let errors = validator.validate(validator.applyingDefaults(to: spec ?? .object([:])))
            guard !errors.isEmpty else { return }
            Terminal.writeError(
                "Warning: \(document.reference): \(outcome.rawValue), but does not validate against the current schema of kind \(kind): \(errors.map(\.message).joined(separator: "; "))\n")
        }
    }
}
