/// Wording shared by validation messages.
enum ErrorText {
    /// A value as it appears after "got": JSON text, shortened past 60 characters.
    static func value(_ v: JSON) -> String {
        let text = v.serialized()
        guard text.count > 60 else { return text }
        return String(text.prefix(57)) + "..."
    }

    /// The JSON type of a value for "got ...": numbers are all "number".
    static func typeName(_ v: JSON) -> String {
        switch v {
        case .null: return "null"
        case .bool: return "boolean"
        case .int, .double, .decimal: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    static func withArticle(_ typeName: String) -> String {
        switch typeName {
        case "null": return "null"
        case "object", "array", "integer": return "an " + typeName
        default: return "a " + typeName
        }
    }

    static func plural(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
        n == 1 ? "1 \(singular)" : "\(n) \(plural ?? singular + "s")"
    }
}
