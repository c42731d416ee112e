extension JSON {
    /// Equality as JSON Schema defines it for `const`, `enum` and `uniqueItems`: like `==`
    /// (numbers by value, objects without regard to order) but strings compare code point by
    /// code point, so "é" and "e\u{301}" differ although Swift's `String ==` finds them equal.
    func schemaEquals(_ other: JSON) -> Bool {
        switch (self, other) {
        case (.string(let a), .string(let b)):
            return a == b && a.utf8.elementsEqual(b.utf8)
        case (.array(let a), .array(let b)):
            guard a.count == b.count else { return false }
            for i in a.indices where !a[i].schemaEquals(b[i]) { return false }
            return true
        case (.object(let a), .object(let b)):
            guard a.count == b.count else { return false }
            for (i, key) in a.keys.enumerated() {
                guard let p = b.position(of: key), b.keys[p].utf8.elementsEqual(key.utf8),
                      a.values[i].schemaEquals(b.values[p])
                else { return false }
            }
            return true
        default:
            return self == other
        }
    }
}

/// A JSON value hashed and compared with ``JSON/schemaEquals(_:)``, for sets of values.
struct SchemaEquatableJSON: Hashable {
    let value: JSON

    static func == (lhs: SchemaEquatableJSON, rhs: SchemaEquatableJSON) -> Bool { lhs.value.schemaEquals(rhs.value) }

    // Values equal under `schemaEquals` are equal under `==`, so `JSON`'s hash is consistent.
    func hash(into hasher: inout Hasher) { hasher.combine(value) }
}
