extension JSON {
    /// Equality as JSON Schema defines it for `const`, `enum` and `uniqueItems`: like `==`
    /// (numbers by value, objects without regard to order) but strings compare code point by
    /// code point, so "é" and "e\u{301}" differ although Swift's `String ==` finds them equal.
    func schemaEquals(_ other: JSON) -> Bool {
        switch (self, other) {
        case (.string(let a), .string(let b)):
            return a.hasSameCodePoints(as: b)
        case (.array(let a), .array(let b)):
            guard a.count == b.count else { return false }
            for i in a.indices where !a[i].schemaEquals(b[i]) { return false }
            return true
        case (.object(let a), .object(let b)):
            guard a.count == b.count else { return false }
            for (i, key) in a.keys.enumerated() {
                guard let p = b.position(of: key), b.keys[p].hasSameCodePoints(as: key),
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

extension String {
    /// True when both strings hold the same code points (the same UTF-8 bytes); unlike `==`,
    /// canonically equivalent but differently encoded strings ("é", "e\u{301}") differ.
    @inline(__always)
    func hasSameCodePoints(as other: String) -> Bool {
        utf8.count == other.utf8.count && utf8.elementsEqual(other.utf8)
    }

    /// Whether every byte is ASCII.
    var isASCII: Bool { utf8.allSatisfy { $0 < 0x80 } }
}

/// A string from a schema (a property name, an `enum` member) prepared for fast comparison
/// with instance strings by code point.
struct SchemaString: Sendable {
    let value: String
    private let byteCount: Int
    private let isASCII: Bool

    init(_ value: String) {
        self.value = value
        self.byteCount = value.utf8.count
        self.isASCII = value.isASCII
    }

    /// Code-point equality. For an ASCII schema string, equal byte counts and `==` already
    /// imply equal bytes: a canonically equivalent spelling of ASCII text always takes more
    /// bytes (`K` vs the Kelvin sign), so only non-ASCII strings need the byte comparison.
    @inline(__always)
    func matches(_ other: String) -> Bool {
        guard other.utf8.count == byteCount, value == other else { return false }
        return isASCII || value.utf8.elementsEqual(other.utf8)
    }
}
