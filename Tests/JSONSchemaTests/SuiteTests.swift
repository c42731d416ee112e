import Foundation
import Testing

@testable import JSONSchema

/// Runs the official JSON Schema Test Suite (the checkout that `JSON_SCHEMA_TEST_SUITE` names,
/// see ``JSONSchemaTestSuite``): every required test of draft 2020-12 and draft-07 must pass;
/// the optional ones (with `format` asserted for `optional/format/`) are run and counted.
/// The suite's patterns and formats also run directly against ``ECMARegex`` and
/// ``FormatChecker``. One test, so that without the variable it is skipped with one line that
/// says how to run it.
@Suite("JSON Schema Test Suite")
struct SuiteTests {
    static var suiteRoot: URL { JSONSchemaTestSuite.root ?? URL(fileURLWithPath: "/nonexistent") }

    /// Every file of `remotes/`, registered as `http://localhost:1234/<relative path>`.
    static let registry: SchemaRegistry = {
        var registry = SchemaRegistry()
        let remotes = suiteRoot.appendingPathComponent("remotes")
        let files = FileManager.default.enumerator(atPath: remotes.path)?.compactMap { $0 as? String } ?? []
        for relative in files.sorted() where relative.hasSuffix(".json") {
            guard let data = FileManager.default.contents(atPath: remotes.appendingPathComponent(relative).path),
                  let json = try? JSON(parsing: data)
            else { continue }
            try? registry.register(json, uri: "http://localhost:1234/" + relative)
        }
        return registry
    }()

    struct Outcome {
        var passed = 0
        var total = 0
        var failures: [String] = []
    }

    /// Runs every test of the `.json` files directly in `folder`.
    static func run(folder: URL, dialect: Dialect, formatAssertion: Bool) throws -> Outcome {
        var outcome = Outcome()
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names.sorted() where name.hasSuffix(".json") {
            let data = try #require(FileManager.default.contents(atPath: folder.appendingPathComponent(name).path))
            guard case .array(let groups) = try JSON(parsing: data) else { continue }
            for group in groups {
                let description = group["description"]?.stringValue ?? "?"
                guard let schema = group["schema"], case .array(let tests)? = group["tests"] else { continue }
                let options = SchemaValidator.Options(formatAssertion: formatAssertion, registry: registry, defaultDialect: dialect)
                let validator: SchemaValidator?
                var compileError = ""
                do {
                    validator = try SchemaValidator(schema, options: options)
                } catch {
                    validator = nil
                    compileError = error.description
                }
                for test in tests {
                    outcome.total += 1
                    let expected = test["valid"]?.boolValue ?? false
                    let label = "\(name): \(description) / \(test["description"]?.stringValue ?? "?")"
                    guard let validator, let data = test["data"] else {
                        outcome.failures.append("\(label): schema rejected: \(compileError)")
                        continue
                    }
                    let fast = validator.isValid(data)
                    let errors = validator.validate(data)
                    if fast == expected && errors.isEmpty == expected {
                        outcome.passed += 1
                    } else {
                        outcome.failures.append("\(label): expected \(expected ? "valid" : "invalid"), isValid=\(fast), errors=\(errors.map(\.message))")
                    }
                }
            }
        }
        return outcome
    }

    @Test(
        "every required test passes, and every pattern and format case through ECMARegex and FormatChecker; optional tests are counted",
        .enabled(if: JSONSchemaTestSuite.root != nil, JSONSchemaTestSuite.howToRun),
        arguments: [
        ("draft2020-12", Dialect.draft2020_12),
        ("draft7", Dialect.draft7),
    ])
    func suite(draft: String, dialect: Dialect) throws {
        let folder = try JSONSchemaTestSuite.requireRoot().appendingPathComponent("tests").appendingPathComponent(draft)
        try #require(FileManager.default.fileExists(atPath: folder.path), "test suite not found at \(folder.path)")
        let required = try Self.run(folder: folder, dialect: dialect, formatAssertion: false)
        let optional = try Self.run(folder: folder.appendingPathComponent("optional"), dialect: dialect, formatAssertion: false)
        let formats = try Self.run(folder: folder.appendingPathComponent("optional/format"), dialect: dialect, formatAssertion: true)
        let optionalPassed = optional.passed + formats.passed
        let optionalTotal = optional.total + formats.total
        print("\(draft): \(required.passed)/\(required.total) required, \(optionalPassed)/\(optionalTotal) optional (formats \(formats.passed)/\(formats.total))")
        if ProcessInfo.processInfo.environment["SUITE_VERBOSE"] != nil {
            for f in optional.failures + formats.failures { print("  optional failure: \(f)") }
        }
        #expect(required.total > 0)
        #expect(required.failures.isEmpty, "\(required.failures.count) required tests fail:\n\(required.failures.joined(separator: "\n"))")
        try formatsThroughFormatChecker(draft: draft)
        if dialect == .draft2020_12 { try patternsThroughECMARegex() }
    }
}
