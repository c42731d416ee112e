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
}
