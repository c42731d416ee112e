import StewardCore

/// A setting read from an environment variable when its flag is not given: unset and empty
/// mean "not set"; a value that does not parse is an input error naming the variable and the
/// rule (`Error: STEWARD_PORT must be a port number, got 'abc'`, exit 1), not a usage error.
struct EnvironmentSetting<Value>: Sendable {
    /// The variable's name, e.g. `STEWARD_PORT`.
    let name: String
    /// What a value must be, completing "NAME must be …".
    let rule: String
    /// The value of a text, or nil when it breaks the rule.
    let parse: @Sendable (String) -> Value?

    /// The variable's value in `environment`, nil when it is unset or empty.
    func value(in environment: [String: String]) throws -> Value? {
        guard let text = environment[name], !text.isEmpty else { return nil }
        guard let value = parse(text) else {
            throw StewardError.invalidInput("\(name) must be \(rule), got '\(text)'", field: name)
        }
        return value
    }
}

extension EnvironmentSetting where Value == String {
    /// A text setting: any non-empty value.
    init(_ name: String) {
        self.init(name: name, rule: "a text", parse: { $0 })
    }
}

extension EnvironmentSetting where Value == Duration {
    /// A duration of more than zero in the CLI's forms (``CLIDuration``); `examples` complete
    /// "such as …" in the rule.
    static func duration(_ name: String, examples: String) -> Self {
        Self(name: name, rule: "a duration of more than zero such as \(examples)", parse: { CLIDuration(argument: $0)?.duration })
    }
}

extension EnvironmentSetting where Value == Int {
    /// A whole number of at least `minimum`.
    static func count(_ name: String, atLeast minimum: Int) -> Self {
        Self(name: name, rule: "a whole number, \(minimum) or more", parse: { Int($0).flatMap { $0 >= minimum ? $0 : nil } })
    }
}
