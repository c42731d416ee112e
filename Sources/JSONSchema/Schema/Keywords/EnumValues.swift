/// The allowed values of an `enum`, with a membership test that avoids general JSON
/// comparison where it can: all-string enums compare strings directly, large enums hash.
final class EnumValues: Sendable {
    let values: [JSON]
    private let strings: [SchemaString]?
    private let hashed: Set<SchemaEquatableJSON>?

    init(_ values: [JSON]) {
        self.values = values
        let strings = values.compactMap(\.stringValue)
        self.strings = strings.count == values.count && values.count <= 16 ? strings.map(SchemaString.init) : nil
        self.hashed = values.count > 8 && self.strings == nil ? Set(values.map(SchemaEquatableJSON.init)) : nil
    }

    @inline(__always)
    func contains(_ value: JSON) -> Bool {
        if let strings {
            guard case .string(let s) = value else { return false }
            for candidate in strings where candidate.matches(s) { return true }
            return false
        }
        if let hashed { return hashed.contains(SchemaEquatableJSON(value: value)) }
        for candidate in values where candidate.schemaEquals(value) { return true }
        return false
    }

    /// Membership of a string instance.
    @inline(__always)
    func contains(string s: String) -> Bool {
        if let strings {
            for candidate in strings where candidate.matches(s) { return true }
            return false
        }
        return contains(.string(s))
    }

    /// `[small, medium, large]`: strings bare, other values as JSON.
    var listing: String {
        "[" + values.map { v in v.stringValue ?? ErrorText.value(v) }.joined(separator: ", ") + "]"
    }
}
