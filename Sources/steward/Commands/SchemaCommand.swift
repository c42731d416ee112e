import ArgumentParser
import Foundation
import JSONSchema

/// `steward schema`: work with JSON Schemas locally, without a server.
struct SchemaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Check JSON documents against a JSON Schema, locally.",
        discussion: """
            Uses the same schema engine as the server: draft 2020-12 (the default when \
            `$schema` is absent) and draft-07.

            EXAMPLE:
              # from the repository's root
              steward schema validate --schema examples/quickstart/executor-deployment.schema.json examples/quickstart/docker-executor-spec.json
            """,
        subcommands: [Validate.self]
    )
}

extension SchemaCommand {
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate instances against a schema.",
            discussion: """
                For a service, the instance is the spec alone (what goes under `spec`, not the \
                whole document with `kind` and `metadata`), and the schema is its definition's \
                `spec.schema`.

                Prints one line per instance: `valid`, or `invalid: ` followed by every failure \
                (field, rule and message), separated by `; `. With several instance files each \
                line starts with the file name. `-` reads JSON lines from standard input (one \
                instance per line; blank lines are skipped); files ending in .jsonl or .ndjson \
                are read the same way.

                Exit status: 0 when every instance is valid, 1 when any is invalid, 2 when the \
                schema or an input cannot be used (not JSON, not a valid schema, unreadable).

                EXAMPLE:
                  # from the repository's root
                  steward schema validate --schema examples/quickstart/executor-deployment.schema.json examples/quickstart/docker-executor-spec.json
                  cat examples/quickstart/specs.jsonl | steward schema validate --schema examples/quickstart/executor-deployment.schema.json -
                  steward schema validate --schema examples/quickstart/executor-deployment.schema.json --apply-defaults examples/quickstart/specs.jsonl
                  steward schema validate --schema examples/quickstart/executor-deployment.schema.json -o json examples/quickstart/specs.jsonl
                """
        )

        @Option(name: .long, help: ArgumentHelp("The JSON Schema file.", valueName: "file"))
        var schema: String

        @Option(name: .customLong("ref"), help: ArgumentHelp(
            "A schema document that `$ref` may point to, registered under its `$id` (repeatable).",
            valueName: "file"))
        var refs: [String] = []

        @Flag(name: .long, help: "Treat `format` as an assertion (date-time, email, uuid, ...), not an annotation.")
        var formatAssertion = false

        @Flag(name: .long, help: "Fill in missing properties from `default` before validating, and print the result for valid instances.")
        var applyDefaults = false

        @Option(name: .long, help: "Report at most this many failures per instance.")
        var maxErrors: Int = 100

        @Option(name: [.short, .long], help: "Output format: text or json (one JSON object per instance).")
        var output: OutputFormat = .text

        @Argument(help: ArgumentHelp("Instance files (for a service: its spec alone), or - for JSON lines on standard input.", valueName: "instance"))
        var instances: [String] = ["-"]

        enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
            case text, json
        }

        func validate() throws {
            guard maxErrors > 0 else { throw ValidationError("--max-errors must be at least 1") }
        }

        func run() throws {
            let validator: SchemaValidator
            do {
                validator = try loadValidator()
            } catch let error as UsageFailure {
                FileHandle.standardError.write(Data("Error: \(error.message)\n".utf8))
                throw ExitCode(2)
            }
            var worst: Int32 = 0
            var out = BufferedOutput()
            let prefixWithFile = instances.count > 1
            for source in instances {
                let prefix = prefixWithFile ? "\(source): " : ""
                do {
                    try forEachInstance(in: source) { item in
                        switch item {
                        case .parsed(let instance, let label):
                            let ok = report(instance, validator: validator, prefix: prefix, label: label, into: &out)
                            if !ok { worst = max(worst, 1) }
                        case .unusable(let message, let label):
                            worst = 2
                            if output == .json {
                                var o: JSON = ["valid": false, "error": .string(message)]
                                if let label { o["source"] = .string(source); o["line"] = .int(label) }
                                out.line(o.serialized())
                            } else {
                                out.line("\(prefix)error: \(label.map { "line \($0): " } ?? "")\(message)")
                            }
                        }
                    }
                } catch let error as UsageFailure {
                    out.flush()
                    FileHandle.standardError.write(Data("Error: \(error.message)\n".utf8))
                    worst = 2
                }
            }
            out.flush()
            if worst != 0 { throw ExitCode(worst) }
        }

        /// Validates one instance and writes its line; returns whether it was valid.
        private func report(_ instance: JSON, validator: SchemaValidator, prefix: String, label: Int?, into out: inout BufferedOutput) -> Bool {
            let subject = applyDefaults ? validator.applyingDefaults(to: instance) : instance
            let errors = validator.validate(subject)
            switch output {
            case .json:
                var o: JSON = ["valid": .bool(errors.isEmpty)]
                if let label { o["line"] = .int(label) }
                if !errors.isEmpty {
                    o["errors"] = .array(errors.map {
                        ["path": .string($0.instancePath), "keyword": .string($0.keyword), "message": .string($0.message)]
                    })
                } else if applyDefaults {
                    o["instance"] = subject
                }
                out.line(o.serialized())
            case .text:
                if errors.isEmpty {
                    out.line(applyDefaults ? "\(prefix)valid \(subject.serialized())" : "\(prefix)valid")
                } else {
                    out.line("\(prefix)invalid: " + errors.map(\.message).joined(separator: "; "))
                }
            }
            return errors.isEmpty
        }

        private func loadValidator() throws -> SchemaValidator {
            var options = SchemaValidator.Options()
            options.formatAssertion = formatAssertion
            options.maxErrors = maxErrors
            for ref in refs {
                let document = try readJSON(file: ref, what: "referenced schema")
                let uri = document["$id"]?.stringValue ?? URL(fileURLWithPath: ref).absoluteString
                do {
                    try options.registry.register(document, uri: uri)
                } catch {
                    throw UsageFailure(message: "referenced schema \(ref): \(error)")
                }
            }
            let document = try readJSON(file: schema, what: "schema")
            do {
                return try SchemaValidator(document, options: options)
            } catch {
                throw UsageFailure(message: "schema \(schema) is not a valid JSON Schema: \(error)")
            }
        }

        private func readJSON(file: String, what: String) throws -> JSON {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw UsageFailure(message: "cannot read \(what) file '\(file)'")
            }
            do {
                return try JSON(parsing: data)
            } catch {
                throw UsageFailure(message: "\(what) file '\(file)' is not valid JSON: \(error)")
            }
        }

        enum Item {
            case parsed(JSON, line: Int?)
            case unusable(String, line: Int?)
        }

        /// Calls `body` for each instance in `source`: one document, or JSON lines.
        private func forEachInstance(in source: String, _ body: (Item) -> Void) throws {
            if source == "-" {
                var n = 0
                while let line = readLine(strippingNewline: true) {
                    n += 1
                    parseLine(line, number: n, body)
                }
                return
            }
            guard let data = FileManager.default.contents(atPath: source) else {
                throw UsageFailure(message: "cannot read instance file '\(source)'")
            }
            if source.hasSuffix(".jsonl") || source.hasSuffix(".ndjson") {
                var n = 0
                for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
                    n += 1
                    parseLine(String(decoding: line, as: UTF8.self), number: n, body)
                }
                return
            }
            do {
                body(.parsed(try JSON(parsing: data), line: nil))
            } catch {
                body(.unusable("not valid JSON: \(error)", line: nil))
            }
        }

        private func parseLine(_ line: String, number: Int, _ body: (Item) -> Void) {
            if line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) { return }
            do {
                body(.parsed(try JSON(parsing: line), line: number))
            } catch {
                body(.unusable("not valid JSON: \(error)", line: number))
            }
        }
    }
}

/// A problem with the command's inputs (exit status 2).
private struct UsageFailure: Error {
    let message: String
}

/// Collects output lines and writes them to standard output in large blocks.
private struct BufferedOutput {
    private var buffer: [UInt8] = []

    mutating func line(_ s: String) {
        buffer.append(contentsOf: s.utf8)
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count > 1 << 16 { flush() }
    }

    mutating func flush() {
        guard !buffer.isEmpty else { return }
        FileHandle.standardOutput.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }
}
