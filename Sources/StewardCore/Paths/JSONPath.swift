import JSONSchema

/// A dotted, indexed path into a JSON value, such as `spec.ports[0].port`: the path that
/// `steward service set --key` takes.
///
/// Syntax: keys separated by `.`, each optionally followed by one or more `[index]`
/// subscripts. A key that contains `.`, `[`, `]` or `\` is written in brackets with quotes
/// (`"` or `'`, with `\` escaping the quote or itself inside them):
/// `metadata.labels["app.kubernetes.io/name"]`. A `\` in a plain key is refused, with that
/// form as the hint: `spec.env.a\.b` does not mean the key `a.b`.
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    /// One step of a path.
    public enum Component: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    public var components: [Component]

    public init(_ components: [Component]) {
        self.components = components
    }

    /// Parses a path; fails with a message that points at the problem.
    public init(parsing text: String) throws(StewardError) {
        let chars = Array(text)
        var components = [Component]()
        var i = 0
        func fail(_ reason: String) -> StewardError {
            .invalidInput("invalid path '\(text)': \(reason)", field: "key")
        }
        guard !chars.isEmpty else { throw fail("the path is empty") }
        var expectKey = true
        while i < chars.count {
            if chars[i] == "[" {
                i += 1
                if i < chars.count, chars[i] == "\"" || chars[i] == "'" {
                    let quote = chars[i]
                    i += 1
                    var key = ""
                    while i < chars.count, chars[i] != quote {
                        if chars[i] == "\\", i + 1 < chars.count { i += 1 }
                        key.append(chars[i])
                        i += 1
                    }
                    guard i < chars.count else { throw fail("unterminated quoted key") }
                    i += 1
                    guard i < chars.count, chars[i] == "]" else { throw fail("expected ']' after the quoted key") }
                    i += 1
                    components.append(.key(key))
                } else {
                    var digits = ""
                    while i < chars.count, chars[i] != "]" {
                        digits.append(chars[i])
                        i += 1
                    }
                    guard i < chars.count else { throw fail("missing ']'") }
                    i += 1
                    guard let index = Int(digits), index >= 0, digits.allSatisfy(\.isASCII) else {
                        throw fail("'[\(digits)]' is not an array index (a whole number of 0 or more)")
                    }
                    components.append(.index(index))
                }
                expectKey = false
            } else if chars[i] == "." {
                guard !components.isEmpty, !expectKey else { throw fail("empty key before '.' at position \(i + 1)") }
                i += 1
                expectKey = true
                guard i < chars.count else { throw fail("the path ends with '.'") }
            } else {
                guard expectKey else { throw fail("expected '.' or '[' at position \(i + 1)") }
                var key = ""
                while i < chars.count, chars[i] != ".", chars[i] != "[" {
                    guard chars[i] != "]" else { throw fail("unexpected ']' at position \(i + 1)") }
                    guard chars[i] != "\\" else {
                        throw fail(
                            "'\\' at position \(i + 1) is not an escape in a plain key; write a key that holds '.', '[', ']' or '\\' in brackets with quotes: \(Self.bracketSuggestion(for: text))"
                        )
                    }
                    key.append(chars[i])
                    i += 1
                }
                components.append(.key(key))
                expectKey = false
            }
        }
        self.components = components
    }

    /// `text` in the bracket form, reading each `\.` in a plain key as a dot of the key and
    /// any other `\` as itself, for the hint of the error that refuses `\` there:
    /// `spec.env.a\.b` gives `spec.env["a.b"]`. A generic `key["a.b"]` when the text does not
    /// parse even so.
    static func bracketSuggestion(for text: String) -> String {
        let (dot, backslash) = ("\u{1}", "\u{2}")
        guard !text.contains(dot), !text.contains(backslash) else { return #"key["a.b"]"# }
        let marked = text.replacingOccurrences(of: "\\.", with: dot).replacingOccurrences(of: "\\", with: backslash)
        guard let path = try? JSONPath(parsing: marked) else { return #"key["a.b"]"# }
        return JSONPath(path.components.map { component in
            guard case .key(let key) = component else { return component }
            return .key(key.replacingOccurrences(of: dot, with: ".").replacingOccurrences(of: backslash, with: "\\"))
        }).description
    }

    /// The path in its text form.
    public var description: String {
        var out = ""
        for c in components {
            switch c {
            case .key(let k):
                if k.isEmpty || k.contains(where: { $0 == "." || $0 == "[" || $0 == "]" || $0 == "\\" }) {
                    out += "[\"\(k.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))\"]"
                } else {
                    out += out.isEmpty ? k : ".\(k)"
                }
            case .index(let i):
                out += "[\(i)]"
            }
        }
        return out
    }

    private func prefix(_ count: Int) -> String {
        JSONPath(Array(components.prefix(count))).description
    }

    /// The value at this path in `root`, or nil when some step does not exist.
    public func value(in root: JSON) -> JSON? {
        var current = root
        for c in components {
            switch c {
            case .key(let k):
                guard let next = current[k] else { return nil }
                current = next
            case .index(let i):
                guard let next = current[i] else { return nil }
                current = next
            }
        }
        return current
    }

    /// Returns `root` with `newValue` stored at this path.
    ///
    /// Missing object members are created, including intermediate objects (and intermediate
    /// arrays when the next step is `[0]`). An index may name an existing element or the one
    /// just past the end (which appends). Anything else is an error that names the step.
    public func setting(_ newValue: JSON, in root: JSON) throws(StewardError) -> JSON {
        guard !components.isEmpty else { return newValue }
        return try set(newValue, in: root, at: 0)
    }

    private func set(_ newValue: JSON, in node: JSON, at depth: Int) throws(StewardError) -> JSON {
        if depth == components.count { return newValue }
        let here = prefix(depth)
        let field = description
        switch components[depth] {
        case .key(let k):
            var object: JSONObject
            switch node {
            case .object(let o): object = o
            case .null: object = JSONObject()
            default:
                throw .invalidInput(
                    "cannot set '\(field)': '\(here.isEmpty ? "the document" : here)' is \(node.typeName), not an object",
                    field: field)
            }
            let child = object[k] ?? .null
            object[k] = try set(newValue, in: child, at: depth + 1)
            return .object(object)
        case .index(let i):
            var array: [JSON]
            switch node {
            case .array(let a): array = a
            case .null: array = []
            default:
                throw .invalidInput(
                    "cannot set '\(field)': '\(here.isEmpty ? "the document" : here)' is \(node.typeName), not an array",
                    field: field)
            }
            if i < array.count {
                array[i] = try set(newValue, in: array[i], at: depth + 1)
            } else if i == array.count {
                array.append(try set(newValue, in: .null, at: depth + 1))
            } else {
                throw .invalidInput(
                    "cannot set '\(field)': index \(i) is out of range, '\(here)' has \(array.count) element(s) (use [\(array.count)] to append)",
                    field: field)
            }
            return .array(array)
        }
    }

    /// Parses the text of `--value`: JSON when it parses as JSON, else the text as a string.
    public static func parseValue(_ text: String) -> JSON {
        (try? JSON(parsing: text)) ?? .string(text)
    }
}
