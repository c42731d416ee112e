/// The checks of a simple leaf schema, such as `{"type": "integer", "minimum": 1, "maximum":
/// 65535}` or `{"type": "string", "enum": ["TCP", "UDP"]}`, applied by the parent schema
/// without calling into the child. A `false` verdict is not final: the child then validates
/// the value itself (and reports why it fails).
struct LeafCheck: Sendable {
    private var types = TypeSet(mask: 0x7F)
    private var minimum = Int.min
    private var maximum = Int.max
    private var strings: Unowned<EnumValues>?

    /// Nil unless every keyword is one this form can hold.
    init?(_ keywords: [Keyword]) {
        for keyword in keywords {
            switch keyword {
            case .type(let t):
                types = t
            case .minimum(let limit):
                guard case .int(let i) = limit.object.value else { return nil }
                minimum = i
            case .maximum(let limit):
                guard case .int(let i) = limit.object.value else { return nil }
                maximum = i
            case .enumeration(let values):
                guard values.object.values.allSatisfy({ $0.stringValue != nil }) else { return nil }
                strings = values
            default:
                return nil
            }
        }
    }

    /// True when an integer certainly passes.
    @inline(__always)
    func accepts(int i: Int) -> Bool {
        strings == nil && types.mask & (TypeSet.number | TypeSet.integer) != 0 && i >= minimum && i <= maximum
    }

    /// True when a string certainly passes.
    @inline(__always)
    func accepts(string s: String) -> Bool {
        guard types.mask & TypeSet.string != 0 else { return false }
        guard let strings else { return true }
        return strings { $0.contains(string: s) }
    }

    /// True when the value certainly passes.
    @inline(__always)
    func accepts(_ value: JSON) -> Bool {
        switch value {
        case .int(let i):
            return accepts(int: i)
        case .string(let s):
            return accepts(string: s)
        case .null, .bool, .array, .object:
            return strings == nil && minimum == .min && maximum == .max && types.contains(value)
        case .double, .decimal:
            return false
        }
    }
}
