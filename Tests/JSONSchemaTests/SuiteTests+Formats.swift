import Foundation
import Testing
@testable import JSONSchema

extension SuiteTests {
    /// Runs every case of the suite's optional format tests whose schema is only `format`
    /// (and `$schema`) against ``FormatChecker``; non-strings are always valid.
    func formatsThroughFormatChecker(draft: String) throws {
        let directory = try JSONSchemaTestSuite.requireRoot().appendingPathComponent("tests/\(draft)/optional/format")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }.sorted()
        var passedByFormat: [String: Int] = [:]
        var totalByFormat: [String: Int] = [:]
        var failures: [String] = []
        for file in files {
            guard case .array(let groups) = try JSONSchemaTestSuite.load("tests/\(draft)/optional/format/\(file)") else { continue }
            for group in groups {
                guard case .object(let object) = group, case .object(let schema)? = object["schema"],
                      case .string(let format)? = schema["format"],
                      schema.keys.allSatisfy({ $0 == "format" || $0 == "$schema" }),
                      case .array(let tests)? = object["tests"] else { continue }
                for test in tests {
                    guard case .object(let t) = test, case .bool(let expected)? = t["valid"], let data = t["data"] else { continue }
                    let actual: Bool
                    if case .string(let s) = data {
                        actual = FormatChecker.isValid(s, format: format) ?? true
                    } else {
                        actual = true
                    }
                    totalByFormat[format, default: 0] += 1
                    if actual == expected {
                        passedByFormat[format, default: 0] += 1
                    } else {
                        failures.append("\(format): \(t["description"]?.stringValue ?? "?") — \(data.serialized(pretty: false))")
                    }
                }
            }
        }
        let passed = passedByFormat.values.reduce(0, +)
        let total = totalByFormat.values.reduce(0, +)
        print("FormatChecker on JSON-Schema-Test-Suite \(draft): \(passed)/\(total) passed")
        for format in totalByFormat.keys.sorted() {
            print("  \(format): \(passedByFormat[format, default: 0])/\(totalByFormat[format]!)")
        }
        for failure in failures { print("  FAIL \(failure)") }
        #expect(failures.isEmpty)
        #expect(total > 500)
    }
}
