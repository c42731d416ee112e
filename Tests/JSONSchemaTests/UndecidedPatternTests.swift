import Testing

@testable import JSONSchema

/// A pattern the backtracking matcher cannot decide within its budget gives no verdict: it is
/// refused when the schema is compiled where that can be known (an exponentially ambiguous
/// repetition), and otherwise reported as too expensive, never as "does not match" (nor as a
/// match).
@Suite("Undecided patterns")
struct UndecidedPatternTests {
    /// Matches twenty `a`s then `b` through its second branch, but the first branch (with a
    /// backreference) tries 2^20 ways of matching the `a`s before that.
    static let exponential = #"^(?:(a|a)*\1c|(a|a)*b)$"#
    static let twentyAsThenB = String(repeating: "a", count: 20) + "b"
    /// Unambiguous loops, but on a string without `!` the six `\w*` and the backreference try
    /// about n^6/720 splits: polynomial, yet past the budget at 100 characters.
    static let polynomial = #"^(\w*)\w*\w*\w*\w*\w*\1!$"#
    static let hundredAs = String(repeating: "a", count: 100)

    @Test func theMatcherSaysUndecidedInsteadOfNoMatch() throws {
        let regex = try ECMARegex(Self.exponential)
        #expect(regex.evaluate(Self.twentyAsThenB) == .undecided)
        #expect(!regex.matches(Self.twentyAsThenB))
        // Small inputs are decided both ways.
        #expect(regex.evaluate("aaab") == .matched)
        #expect(regex.evaluate("aaad") == .notMatched)
        #expect(try ECMARegex(Self.polynomial).evaluate(Self.hundredAs) == .undecided)
    }

    @Test func exponentiallyAmbiguousBacktrackingPatternsAreRefusedAtCompileTime() throws {
        for pattern in [Self.exponential, #"^(a+)+\1b$"#, #"^((ab)*)+\1$"#, #"^(\w|\d)*\1$"#] {
            #expect(try ECMARegex(pattern).backtracksExponentially, "\(pattern)")
            do {
                _ = try SchemaValidator(.object(["properties": ["name": .object(["pattern": .string(pattern)])]]))
                Issue.record("\(pattern) was accepted")
            } catch {
                #expect(error.code == .invalidRegex)
                #expect(error.path == "/properties/name/pattern")
                #expect(error.message.hasPrefix("'pattern' pattern '\(pattern)' can take exponential time to match"), "\(error.message)")
            }
        }
        // Unambiguous loops, and ambiguous ones that run on the linear-time matchers, are fine.
        for pattern in [#"^(\w+)\s+\1$"#, #"^(\d+,)*\1$"#, #"^(?=.*[A-Z]).*$"#, #"^(a|ab)*c\1"#, #"^(?!.*--)[a-z-]+$"#,
                        #"^(a|a)*$"#, #"^(a+)+$"#, Self.polynomial] {
            #expect(try !ECMARegex(pattern).backtracksExponentially, "\(pattern)")
            _ = try SchemaValidator(.object(["pattern": .string(pattern)]))
        }
    }

    @Test func patternReportsTooExpensiveNotMismatch() throws {
        let validator = try SchemaValidator(.object(["properties": ["name": ["type": "string", "pattern": .string(Self.polynomial)]]]))
        let instance = JSON.object(["name": .string(Self.hundredAs)])
        let errors = validator.validate(instance)
        #expect(errors.map(\.message) == [
            "pattern '\(Self.polynomial)' is too expensive to evaluate on field 'name' (it needs more than the regex budget of 5000000 steps); simplify the pattern",
        ])
        #expect(errors.first?.instancePath == "name")
        #expect(errors.first?.keyword == "pattern")
        #expect(errors.first?.schemaPath == "/properties/name/pattern")
        #expect(!validator.isValid(instance))
        // A string it can decide is an ordinary match or mismatch.
        #expect(validator.validate(.object(["name": "aa!"])).isEmpty)
        #expect(validator.validate(.object(["name": "ab"])).map(\.message) == ["field 'name' must match pattern '\(Self.polynomial)'"])
    }

    @Test func notAndAnyOfDoNotTurnAnUndecidedPatternIntoAVerdict() throws {
        let pattern = JSON.object(["pattern": .string(Self.polynomial)])
        let instance = JSON.string(Self.hundredAs)
        for schema: JSON in [.object(["not": pattern]), .object(["anyOf": [pattern, .object(["type": "integer"])]])] {
            let validator = try SchemaValidator(schema)
            #expect(!validator.isValid(instance), "\(schema)")
            let messages = validator.validate(instance).map(\.message)
            #expect(messages.contains { $0.hasPrefix("pattern '\(Self.polynomial)' is too expensive to evaluate on value") }, "\(messages)")
        }
    }

    @Test func patternPropertiesAndPropertyNamesReportTooExpensive() throws {
        let key = Self.hundredAs
        let properties = try SchemaValidator(.object(["patternProperties": .object([Self.polynomial: .object(["type": "integer"])])]))
        let errors = properties.validate(.object([key: "x"]))
        #expect(errors.map(\.keyword) == ["patternProperties"])
        #expect(errors.first?.message.hasPrefix("pattern '\(Self.polynomial)' is too expensive to evaluate on field '\(key)'") == true)
        #expect(!properties.isValid(.object([key: "x"])))

        let names = try SchemaValidator(.object(["propertyNames": .object(["pattern": .string(Self.polynomial)])]))
        #expect(!names.isValid(.object([key: 1])))
        #expect(names.validate(.object([key: 1])).contains { $0.message.contains("too expensive to evaluate") })
    }
}
