/// The set of JSON types a `type` keyword allows, as a bit mask checked in one step.
struct TypeSet: Sendable, Hashable {
    let mask: UInt8

    static let null: UInt8 = 1 << 0
    static let boolean: UInt8 = 1 << 1
    static let object: UInt8 = 1 << 2
    static let array: UInt8 = 1 << 3
    static let number: UInt8 = 1 << 4
    static let string: UInt8 = 1 << 5
    static let integer: UInt8 = 1 << 6

    /// Names in the order messages list them.
    private static let names: [(String, UInt8)] = [
        ("object", object), ("array", array), ("string", string), ("number", number),
        ("integer", integer), ("boolean", boolean), ("null", null),
    ]

    static func bit(named name: String) -> UInt8? {
        names.first { $0.0 == name }?.1
    }

    init(mask: UInt8) { self.mask = mask }

    @inline(__always)
    func contains(_ value: JSON) -> Bool {
        switch value {
        case .null: return mask & Self.null != 0
        case .bool: return mask & Self.boolean != 0
        case .string: return mask & Self.string != 0
        case .object: return mask & Self.object != 0
        case .array: return mask & Self.array != 0
        case .int: return mask & (Self.number | Self.integer) != 0
        case .double, .decimal:
            if mask & Self.number != 0 { return true }
            return mask & Self.integer != 0 && value.isInteger
        }
    }

    /// "a string", "an integer", "a string or null".
    var expectation: String {
        let selected = Self.names.filter { mask & $0.1 != 0 }.map { ErrorText.withArticle($0.0) }
        switch selected.count {
        case 0: return "nothing"
        case 1: return selected[0]
        default: return selected.dropLast().joined(separator: ", ") + " or " + selected[selected.count - 1]
        }
    }
}
