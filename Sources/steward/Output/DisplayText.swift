import JSONSchema

/// Short, one-line text for values shown in table cells.
enum DisplayText {
    /// A JSON value as a cell: strings without quotes, `-` for null or missing, compact JSON
    /// for arrays and objects.
    static func cell(_ value: JSON?) -> String {
        guard let value else { return "-" }
        switch value {
        case .null: return "-"
        case .string(let text): return text.isEmpty ? "\"\"" : text
        case .bool(let flag): return flag ? "true" : "false"
        case .int, .double, .decimal: return value.serialized()
        case .array, .object: return value.serialized()
        }
    }

    /// The leaves of a JSON value as (dotted path, cell) pairs: `env.HOST`, `volumes[0].host`.
    /// Empty objects and arrays are leaves shown as `{}` and `[]`.
    static func flatten(_ value: JSON, prefix: String = "") -> [(String, String)] {
        switch value {
        case .object(let object) where !object.isEmpty:
            return object.flatMap { key, child in
                flatten(child, prefix: prefix.isEmpty ? key : prefix + "." + key)
            }
        case .array(let array) where !array.isEmpty:
            return array.enumerated().flatMap { index, child in
                flatten(child, prefix: prefix + "[\(index)]")
            }
        default:
            return [(prefix.isEmpty ? "(value)" : prefix, cell(value))]
        }
    }

    /// `key=value` pairs, sorted by key, joined by commas; `-` when empty.
    static func labels(_ labels: [String: String]) -> String {
        labels.isEmpty ? "-" : labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }

    /// The first characters of a long identifier.
    static func shortID(_ id: String, length: Int = 12) -> String {
        id.count > length ? String(id.prefix(length)) : id
    }

    /// The time of day (`15:17:00`) of an RFC 3339 timestamp, or the text as it is.
    static func timeOfDay(_ text: String) -> String {
        guard let t = text.firstIndex(of: "T") else { return text }
        let time = text[text.index(after: t)...].prefix(8)
        return time.count == 8 ? String(time) : text
    }
}
