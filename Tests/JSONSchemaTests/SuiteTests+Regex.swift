import Foundation
import Testing
@testable import JSONSchema

extension SuiteTests {
    /// Runs the `pattern` and `patternProperties` cases of the suite's ecmascript-regex.json and
    /// the pattern/patternProperties files directly against ECMARegex.
    func patternsThroughECMARegex() throws {
        var passed = 0
        var failures: [String] = []
        var perFile: [String] = []
        for file in ["optional/ecmascript-regex.json", "pattern.json", "patternProperties.json"] {
            let (passedBefore, failedBefore) = (passed, failures.count)
            defer { perFile.append("  \(file): \(passed - passedBefore) passed, \(failures.count - failedBefore) failed") }
            guard case .array(let groups) = try JSONSchemaTestSuite.load("tests/draft2020-12/" + file) else {
                Issue.record("\(file) is not an array")
                continue
            }
            for group in groups {
                guard case .object(let object) = group, case .object(let schema)? = object["schema"],
                      case .array(let tests)? = object["tests"] else { continue }
                let description = object["description"]?.stringValue ?? "?"
                // Only schemas whose sole assertions are pattern / patternProperties (+ additionalProperties: false).
                let others = schema.keys.filter { !["$schema", "type", "pattern", "patternProperties", "additionalProperties"].contains($0) }
                guard others.isEmpty else { continue }
                for test in tests {
                    guard case .object(let t) = test, case .bool(let valid)? = t["valid"], let data = t["data"] else { continue }
                    guard let outcome = try evaluate(schema: schema, data: data) else { continue }
                    if outcome == valid {
                        passed += 1
                    } else {
                        failures.append("\(file): \(description) / \(t["description"]?.stringValue ?? "?")")
                    }
                }
            }
        }
        print("ECMARegex on JSON-Schema-Test-Suite patterns: \(passed) passed, \(failures.count) failed")
        for line in perFile { print(line) }
        for failure in failures { print("  FAIL \(failure)") }
        #expect(failures.isEmpty)
        #expect(passed > 40)
    }

    /// Validity of `data` under a schema made of `type`, `pattern`, `patternProperties` and
    /// `additionalProperties: false`; nil when the case needs more than that.
    private func evaluate(schema: JSONObject, data: JSON) throws -> Bool? {
        if case .string(let type)? = schema["type"], type != data.typeName, !(type == "number" && data.isNumber) {
            return false
        }
        if case .string(let pattern)? = schema["pattern"] {
            guard case .string(let s) = data else { return true }
            return try ECMARegex(pattern).matches(s)
        }
        if case .object(let patterns)? = schema["patternProperties"] {
            guard case .object(let instance) = data else { return true }
            let additionalForbidden = schema["additionalProperties"] == .bool(false)
            for (key, value) in instance {
                var matched = false
                for (pattern, subschema) in patterns where try ECMARegex(pattern).matches(key) {
                    matched = true
                    switch subschema {
                    case .bool(let allowed): if !allowed { return false }
                    case .object(let sub):
                        guard let result = try evaluate(schema: sub, data: value) else { return nil }
                        if !result { return false }
                    default: return nil
                    }
                }
                if !matched && additionalForbidden { return false }
            }
            return true
        }
        return nil
    }
}
