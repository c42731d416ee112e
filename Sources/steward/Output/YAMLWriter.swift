import JSONSchema

/// Writes ``JSON`` values as block-style YAML that reads back to the same JSON: key order is
/// kept, and strings that YAML would read as something else (`"true"`, `"3"`, `"null"`, `""`,
/// text with `: ` or leading symbols) are double-quoted with JSON escapes.
enum YAMLWriter {
    /// The YAML text of `value`, ending in a newline.
    static func string(_ value: JSON) -> String {
        var output = ""
        switch value {
        case .object(let object) where !object.isEmpty:
            writeObject(object, indent: 0, into: &output)
        case .array(let array) where !array.isEmpty:
            writeArray(array, indent: 0, into: &output)
        default:
            output = scalar(value) + "\n"
        }
        return output
    }

    /// Several documents, separated by `---` lines.
    static func documents(_ values: [JSON]) -> String {
        values.map { "---\n" + string($0) }.joined()
    }

    private static func writeObject(_ object: JSONObject, indent: Int, into output: inout String) {
        let pad = String(repeating: " ", count: indent)
        for (key, value) in object {
            output += pad + quoteIfNeeded(key) + ":"
            writeNested(value, indent: indent, inSequence: false, into: &output)
        }
    }

    private static func writeArray(_ array: [JSON], indent: Int, into output: inout String) {
        let pad = String(repeating: " ", count: indent)
        for value in array {
            output += pad + "-"
            writeNested(value, indent: indent, inSequence: true, into: &output)
        }
    }

    /// Writes the value after `key:` or `-`: inline when it is a scalar or empty, on the
    /// following lines otherwise. Objects inside sequences start on the dash's line.
    private static func writeNested(_ value: JSON, indent: Int, inSequence: Bool, into output: inout String) {
        switch value {
        case .object(let object) where !object.isEmpty:
            if inSequence {
                var nested = ""
                writeObject(object, indent: indent + 2, into: &nested)
                output += " " + nested.dropFirst(indent + 2)
            } else {
                output += "\n"
                writeObject(object, indent: indent + 2, into: &output)
            }
        case .array(let array) where !array.isEmpty:
            if inSequence {
                var nested = ""
                writeArray(array, indent: indent + 2, into: &nested)
                output += " " + nested.dropFirst(indent + 2)
            } else {
                output += "\n"
                writeArray(array, indent: indent, into: &output)
            }
        default:
            output += " " + scalar(value) + "\n"
        }
    }

    private static func scalar(_ value: JSON) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .int, .double, .decimal: return value.serialized()
        case .string(let text): return quoteIfNeeded(text)
        case .array: return "[]"
        case .object: return "{}"
        }
    }

    /// `text` as a plain scalar when YAML reads it back as the same string, else double-quoted.
    static func quoteIfNeeded(_ text: String) -> String {
        isSafePlain(text) ? text : JSON.string(text).serialized()
    }

    private static let reservedWords: Set<String> = [
        "null", "~", "true", "false", "yes", "no", "on", "off", "y", "n",
    ]

    private static func isSafePlain(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return false }
        if reservedWords.contains(text.lowercased()) { return false }
        if first == " " || last == " " || last == ":" { return false }
        if "-?:,[]{}#&*!|>'\"%@`.+".unicodeScalars.contains(first) { return false }
        if first.properties.numericType != nil || first == "." { return false }
        if text.contains(": ") || text.contains(" #") { return false }
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F { return false }
            if scalar == "\u{2028}" || scalar == "\u{2029}" || scalar == "\u{FEFF}" { return false }
        }
        return true
    }
}
