import JSONSchema

/// What a definition update found when it checked the existing services of its kind against
/// the new schema (defaults applied, as an admission would): how many were checked, how many no
/// longer validate, and the first few of those (by name) with their errors.
///
/// Services that no longer validate stay stored and keep working; under validation ratcheting
/// an update of such a service is refused only when it touches an invalid field or adds an
/// error. The wire form is the `revalidation` member of the definition update's response:
/// `{"checked": 3, "invalid": 1, "examples": [{"name": "web", "errors": ["required field 'tier' is missing"]}]}`.
public struct ServiceRevalidation: Sendable, Equatable {
    /// A service that no longer validates, with its errors.
    public struct Example: Sendable, Equatable {
        public var name: String
        public var errors: [String]

        public init(name: String, errors: [String]) {
            self.name = name
            self.errors = errors
        }
    }

    /// How many examples a report carries at most.
    public static let maxExamples = 5

    /// Services of the kind that were checked.
    public var checked: Int
    /// Services of the kind that no longer validate.
    public var invalid: Int
    /// The first of them by name, at most ``maxExamples``.
    public var examples: [Example]

    public init(checked: Int, invalid: Int, examples: [Example]) {
        self.checked = checked
        self.invalid = invalid
        self.examples = examples
    }

    /// Reads the wire form.
    public init(json: JSON) throws(StewardError) {
        let r = try FieldReader(json, path: "revalidation")
        checked = try r.int("checked") ?? 0
        invalid = try r.int("invalid") ?? 0
        var examples: [Example] = []
        for item in r.value("examples")?.arrayValue ?? [] {
            let e = try FieldReader(item, path: "revalidation.examples")
            examples.append(Example(name: try e.requiredString("name"), errors: try e.stringArray("errors") ?? []))
        }
        self.examples = examples
    }

    public var json: JSON {
        .object([
            "checked": .int(checked), "invalid": .int(invalid),
            "examples": .array(examples.map { .object(["name": .string($0.name), "errors": .array($0.errors.map(JSON.string))]) }),
        ])
    }

    /// One line for people: `2 of 3 existing services of kind Web no longer validate: a
    /// (required field 'tier' is missing), b (...)`, or that all still validate.
    public func summary(kind: String) -> String {
        guard invalid > 0 else {
            switch checked {
            case 0: return "no existing services of kind \(kind) to check"
            case 1: return "the existing service of kind \(kind) still validates"
            default: return "all \(checked) existing services of kind \(kind) still validate"
            }
        }
        let named = examples.map { "\($0.name) (\($0.errors.joined(separator: "; ")))" }.joined(separator: ", ")
        let more = invalid > examples.count ? ", and \(invalid - examples.count) more" : ""
        let verb = invalid == 1 ? "no longer validates" : "no longer validate"
        let noun = checked == 1 ? "service" : "services"
        return "\(invalid) of \(checked) existing \(noun) of kind \(kind) \(verb): \(named)\(more)"
    }
}
