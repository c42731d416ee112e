/// A JSON value, as used across Steward.
///
/// - Integers stay integers: the literal `3` is `.int(3)` and serializes back as `3`.
/// - Numbers keep their value: integer literals that do not fit in `Int`, and literals with
///   more significant digits than a `Double` holds exactly, are kept as a ``JSONDecimal``.
/// - Object keys keep their order (see ``JSONObject``).
/// - Equality follows JSON Schema: numbers compare by mathematical value (`1 == 1.0`),
///   objects compare without regard to key order, arrays element by element.
public enum JSON: Sendable {
    case null
    case bool(Bool)
    /// An integer literal that fits in `Int`.
    case int(Int)
    /// A number with a fraction or an exponent, whose value a `Double` holds faithfully.
    case double(Double)
    /// A number kept exactly as written (too big for `Int`, or too precise for `Double`).
    case decimal(JSONDecimal)
    case string(String)
    case array([JSON])
    case object(JSONObject)
}

extension JSON {
    /// The JSON Schema type name of this value: `null`, `boolean`, `integer`, `number`,
    /// `string`, `array` or `object`. Numbers with a zero fraction (`1.0`) are `integer`.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .int: return "integer"
        case .double(let d): return d.rounded(.towardZero) == d && d.isFinite ? "integer" : "number"
        case .decimal(let d): return d.isInteger ? "integer" : "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    public var isNumber: Bool {
        switch self {
        case .int, .double, .decimal: return true
        default: return false
        }
    }

    /// True for numbers whose value is a whole number (`3`, `3.0`, `1e2`).
    public var isInteger: Bool {
        switch self {
        case .int: return true
        case .double(let d): return d.isFinite && d.rounded(.towardZero) == d
        case .decimal(let d): return d.isInteger
        default: return false
        }
    }

    /// The value as a `Double` (an approximation for decimals), or nil for non-numbers.
    public var doubleValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        case .decimal(let d): return d.doubleValue
        default: return nil
        }
    }

    /// The value as an `Int` when it is a whole number that fits, else nil.
    public var intValue: Int? {
        switch self {
        case .int(let i): return i
        case .double(let d):
            guard d.isFinite, d.rounded(.towardZero) == d, let i = Int(exactly: d) else { return nil }
            return i
        default: return nil
        }
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    public var arrayValue: [JSON]? {
        if case .array(let a) = self { return a }
        return nil
    }

    public var objectValue: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The member `key` of an object, or nil when this is not an object or has no such member.
    public subscript(key: String) -> JSON? {
        get {
            if case .object(let o) = self { return o[key] }
            return nil
        }
        set {
            guard case .object(var o) = self else { return }
            self = .null  // release the payload so that `o` is uniquely referenced
            o[key] = newValue
            self = .object(o)
        }
    }

    /// The element at `index` of an array, or nil when out of range or not an array.
    public subscript(index: Int) -> JSON? {
        if case .array(let a) = self, a.indices.contains(index) { return a[index] }
        return nil
    }
}

// MARK: - Equality (JSON Schema semantics)

extension JSON: Equatable {
    public static func == (lhs: JSON, rhs: JSON) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.double(let a), .double(let b)): return a == b
        default:
            guard lhs.isNumber, rhs.isNumber else { return false }
            return JSONDecimal.compare(lhs, rhs) == 0
        }
    }
}

extension JSON: Hashable {
    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let b): hasher.combine(1); hasher.combine(b)
        case .int, .double, .decimal:
            // Equal numbers of different representations must hash alike: hash the Double value.
            hasher.combine(2)
            hasher.combine(doubleValue ?? 0)
        case .string(let s): hasher.combine(3); hasher.combine(s)
        case .array(let a): hasher.combine(4); hasher.combine(a)
        case .object(let o): hasher.combine(5); hasher.combine(o)
        }
    }
}

// MARK: - Literals

extension JSON: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSON...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSON)...) {
        var o = JSONObject()
        for (k, v) in elements { o[k] = v }
        self = .object(o)
    }
}

extension JSON: CustomStringConvertible {
    /// The compact serialization.
    public var description: String { serialized() }
}
