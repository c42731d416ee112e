/// A location inside an instance, kept as a stack of steps while validating and rendered the
/// way users write it (`ports[2].port`) only when an error is reported.
struct InstancePath: Sendable {
    enum Step: Sendable {
        case key(String)
        case index(Int)
    }

    private(set) var steps: [Step] = []

    var isRoot: Bool { steps.isEmpty }

    mutating func push(_ step: Step) { steps.append(step) }
    mutating func pop() { steps.removeLast() }

    /// The user form: "" for the root, `a.b`, `a[0].b`, `["a b"].c`.
    var rendered: String { Self.render(steps[...]) }

    /// The user form of this path extended by `key`.
    func rendered(appending key: String) -> String {
        Self.render(steps[...] + [.key(key)])
    }

    static func render<C: Collection<Step>>(_ steps: C) -> String {
        var out = ""
        for step in steps {
            switch step {
            case .index(let i):
                out += "[\(i)]"
            case .key(let k):
                if isIdentifier(k) {
                    if !out.isEmpty { out += "." }
                    out += k
                } else {
                    out += "[" + quoted(k) + "]"
                }
            }
        }
        return out
    }

    /// Keys written bare: a letter, `_` or `$` followed by letters, digits, `_`, `$` or `-`.
    static func isIdentifier(_ key: String) -> Bool {
        guard let first = key.utf8.first else { return false }
        guard isLetter(first) || first == UInt8(ascii: "_") || first == UInt8(ascii: "$") else { return false }
        for b in key.utf8.dropFirst() {
            guard isLetter(b) || (b >= 48 && b <= 57) || b == UInt8(ascii: "_") || b == UInt8(ascii: "$")
                || b == UInt8(ascii: "-")
            else { return false }
        }
        return true
    }

    private static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 97 && (b | 0x20) <= 122 }

    static func quoted(_ key: String) -> String { JSON.string(key).serialized() }

    /// The steps of a path in the user form (the inverse of ``render(_:)``); nil when `text` is
    /// not such a path.
    static func parse(_ text: String) -> [Step]? {
        let bytes = Array(text.utf8)
        var steps: [Step] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "[") {
                guard let close = closingBracket(bytes, from: i + 1) else { return nil }
                let inner = String(decoding: bytes[(i + 1)..<close], as: UTF8.self)
                if inner.hasPrefix("\"") {
                    guard case .string(let key)? = try? JSON(parsing: inner) else { return nil }
                    steps.append(.key(key))
                } else {
                    guard let index = Int(inner), index >= 0 else { return nil }
                    steps.append(.index(index))
                }
                i = close + 1
            } else {
                if bytes[i] == UInt8(ascii: ".") {
                    guard !steps.isEmpty else { return nil }
                    i += 1
                }
                var end = i
                while end < bytes.count, bytes[end] != UInt8(ascii: "."), bytes[end] != UInt8(ascii: "[") { end += 1 }
                guard end > i else { return nil }
                steps.append(.key(String(decoding: bytes[i..<end], as: UTF8.self)))
                i = end
            }
        }
        return steps
    }

    /// The `]` that ends a subscript starting at `from`, skipping over a quoted key.
    private static func closingBracket(_ bytes: [UInt8], from: Int) -> Int? {
        var i = from
        var inString = false
        while i < bytes.count {
            let b = bytes[i]
            if inString {
                if b == UInt8(ascii: "\\") { i += 1 } else if b == UInt8(ascii: "\"") { inString = false }
            } else if b == UInt8(ascii: "\"") {
                inString = true
            } else if b == UInt8(ascii: "]") {
                return i
            }
            i += 1
        }
        return nil
    }

    /// The value at `steps` inside `value`, or nil when some step is missing.
    static func value(at steps: [Step], in value: JSON) -> JSON? {
        var current = value
        for step in steps {
            switch (step, current) {
            case (.key(let key), .object(let object)):
                guard let member = object[key] else { return nil }
                current = member
            case (.index(let index), .array(let array)):
                guard index < array.count else { return nil }
                current = array[index]
            default:
                return nil
            }
        }
        return current
    }
}
