import JSONSchema

/// Kubernetes' label syntax, so that every stored label can be selected.
///
/// - A **key** is a name, optionally preceded by a prefix and `/`: `tier`,
///   `app.kubernetes.io/name`. The name has 1 to 63 characters: letters, digits, `-`, `_` and
///   `.`, beginning and ending with a letter or digit. The prefix is a DNS subdomain of at most
///   253 characters: lower-case letters, digits, `-` and `.`, in dot-separated parts that begin
///   and end with a letter or digit.
/// - A **value** is empty or has the form of a name (at most 63 characters).
///
/// A label selector is `key=value` pairs separated by commas (spaces around keys and values are
/// ignored); a service matches when it carries every pair.
public enum LabelRules {
    /// The longest name part of a key, and the longest value.
    public static let maxNameLength = 63
    /// The longest prefix of a key.
    public static let maxPrefixLength = 253

    static let nameRule = "at most \(maxNameLength) characters: letters, digits, '-', '_' and '.', beginning and ending with a letter or digit"
    static let valueRule = "empty, or " + nameRule
    static let prefixRule = "a DNS subdomain of at most \(maxPrefixLength) characters: lower-case letters, digits, '-' and '.', each dot-separated part beginning and ending with a letter or digit"

    /// Checks every label of a service; the error names the label and the rule.
    public static func validate(_ labels: [String: String], field: String = "metadata.labels") throws(StewardError) {
        for (key, value) in labels.sorted(by: { $0.key < $1.key }) {
            let labelField = "\(field)[\(quoted(key))]"
            if let problem = keyProblem(key) {
                throw .invalidInput("label key \(quoted(key)) is not valid: \(problem)", field: labelField)
            }
            if let problem = valueProblem(value) {
                throw .invalidInput("the value \(quoted(value)) of label \(quoted(key)) is not valid: \(problem)", field: labelField)
            }
        }
    }

    /// Parses a selector (`tier=web,env=prod`); an empty or absent selector selects everything.
    /// A malformed selector is an error that quotes it and says what is wrong.
    public static func parseSelector(_ text: String?, field: String = "labelSelector") throws(StewardError) -> [String: String] {
        guard let text, !text.isEmpty else { return [:] }
        var labels: [String: String] = [:]
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            func refuse(_ problem: String) -> StewardError {
                .invalidInput("label selector '\(text)' is malformed: \(problem)", field: field)
            }
            guard let equals = part.firstIndex(of: "=") else {
                throw refuse(part.isEmpty ? "it has an empty requirement (a stray ',')" : "'\(part)' is not of the form key=value")
            }
            let key = trimmed(part[..<equals])
            let value = trimmed(part[part.index(after: equals)...])
            if let problem = keyProblem(key) { throw refuse("the key \(quoted(key)) is not valid: \(problem)") }
            if let problem = valueProblem(value) { throw refuse("the value \(quoted(value)) of \(quoted(key)) is not valid: \(problem)") }
            if let earlier = labels[key], earlier != value {
                throw refuse("\(quoted(key)) is required to be both \(quoted(earlier)) and \(quoted(value))")
            }
            labels[key] = value
        }
        return labels
    }

    /// What is wrong with a label key, or nil when it is valid.
    public static func keyProblem(_ key: String) -> String? {
        if key.isEmpty { return "a key must not be empty" }
        let parts = key.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        if parts.count == 2 {
            if let problem = prefixProblem(parts[0]) { return "its prefix \(quoted(String(parts[0]))) must be \(prefixRule)\(problem)" }
            if parts[1].contains("/") { return "a key has at most one '/'" }
            return isName(parts[1]) ? nil : "its name \(quoted(String(parts[1]))) must be \(nameRule)"
        }
        return isName(key[...]) ? nil : "a key must be \(nameRule), optionally after a prefix and '/'"
    }

    /// What is wrong with a label value, or nil when it is valid.
    public static func valueProblem(_ value: String) -> String? {
        value.isEmpty || isName(value[...]) ? nil : "a value must be \(valueRule)"
    }

    private static func isName(_ name: Substring) -> Bool {
        let bytes = Array(name.utf8)
        guard !bytes.isEmpty, bytes.count <= maxNameLength, isAlphanumeric(bytes[0]), isAlphanumeric(bytes[bytes.count - 1]) else {
            return false
        }
        return bytes.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") }
    }

    /// Nil for a valid prefix; else the detail (possibly empty) to append to the rule.
    private static func prefixProblem(_ prefix: Substring) -> String? {
        if prefix.isEmpty { return " (it is empty)" }
        if prefix.utf8.count > maxPrefixLength { return " (it has \(prefix.utf8.count))" }
        for part in prefix.split(separator: ".", omittingEmptySubsequences: false) {
            let bytes = Array(part.utf8)
            guard let first = bytes.first, let last = bytes.last, isLowerAlphanumeric(first), isLowerAlphanumeric(last),
                  bytes.allSatisfy({ isLowerAlphanumeric($0) || $0 == UInt8(ascii: "-") })
            else { return "" }
        }
        return nil
    }

    private static func isLowerAlphanumeric(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
    }

    private static func isAlphanumeric(_ b: UInt8) -> Bool {
        isLowerAlphanumeric(b) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
    }

    /// `text` without the spaces around it.
    private static func trimmed(_ text: Substring) -> String {
        String(text.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }

    /// A key or value in double quotes, escaped as JSON.
    private static func quoted(_ text: String) -> String { JSON.string(text).serialized() }
}
