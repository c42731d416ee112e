/// Writes JSON values as UTF-8 text: compact by default, or indented with two spaces.
public struct JSONSerializer: Sendable {
    public var pretty: Bool
    /// Escape `/` as `\/` (off by default).
    public var escapeSlashes: Bool

    public init(pretty: Bool = false, escapeSlashes: Bool = false) {
        self.pretty = pretty
        self.escapeSlashes = escapeSlashes
    }

    public func bytes(_ value: JSON) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(value, into: &out, indent: 0)
        return out
    }

    /// Appends `value` to `out` as if it stood `depth` levels deep in a larger document: when
    /// pretty, its lines after the first are indented as they would be there (so that a long
    /// list can be written one item at a time).
    public func write(_ value: JSON, into out: inout [UInt8], depth: Int) {
        write(value, into: &out, indent: depth)
    }

    public func string(_ value: JSON) -> String {
        String(decoding: bytes(value), as: UTF8.self)
    }

    func write(_ value: JSON, into out: inout [UInt8], indent: Int) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let i): out.append(contentsOf: String(i).utf8)
        case .double(let d): Self.writeDouble(d, into: &out)
        case .decimal(let d): out.append(contentsOf: d.text.utf8)
        case .string(let s): writeString(s, into: &out)
        case .array(let a):
            if a.isEmpty { out.append(contentsOf: "[]".utf8); return }
            out.append(UInt8(ascii: "["))
            for (i, v) in a.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                if pretty { newline(&out, indent + 1) }
                write(v, into: &out, indent: indent + 1)
            }
            if pretty { newline(&out, indent) }
            out.append(UInt8(ascii: "]"))
        case .object(let o):
            if o.isEmpty { out.append(contentsOf: "{}".utf8); return }
            out.append(UInt8(ascii: "{"))
            for i in 0..<o.count {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                if pretty { newline(&out, indent + 1) }
                writeString(o.keys[i], into: &out)
                out.append(UInt8(ascii: ":"))
                if pretty { out.append(UInt8(ascii: " ")) }
                write(o.values[i], into: &out, indent: indent + 1)
            }
            if pretty { newline(&out, indent) }
            out.append(UInt8(ascii: "}"))
        }
    }

    private func newline(_ out: inout [UInt8], _ indent: Int) {
        out.append(UInt8(ascii: "\n"))
        for _ in 0..<indent { out.append(contentsOf: [0x20, 0x20]) }
    }

    static func writeDouble(_ d: Double, into out: inout [UInt8]) {
        guard d.isFinite else {
            // JSON has no infinities or NaN; the parser never produces them.
            out.append(contentsOf: "null".utf8)
            return
        }
        out.append(contentsOf: d.description.utf8)
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    func writeString(_ s: String, into out: inout [UInt8]) {
        var s = s
        s.withUTF8 { bytes in
            out.append(UInt8(ascii: "\""))
            // Copy runs of bytes that need no escape in one go.
            var runStart = 0
            for index in 0..<bytes.count {
                let c = bytes[index]
                if c >= 0x20, c != 0x22, c != 0x5C, c != 0x7F, c != 0x2F || !escapeSlashes { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                runStart = index + 1
                switch c {
                case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, 0x22])
                case UInt8(ascii: "\\"): out.append(contentsOf: [0x5C, 0x5C])
                case UInt8(ascii: "\n"): out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
                case UInt8(ascii: "\r"): out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
                case UInt8(ascii: "\t"): out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
                case UInt8(ascii: "/"): out.append(contentsOf: [0x5C, 0x2F])
                default:
                    out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, Self.hex[Int(c >> 4)], Self.hex[Int(c & 0xF)]])
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
            out.append(UInt8(ascii: "\""))
        }
    }
}

extension JSON {
    /// Compact JSON text.
    public func serialized(pretty: Bool = false) -> String {
        JSONSerializer(pretty: pretty).string(self)
    }

    /// Compact JSON as UTF-8 bytes.
    public func serializedBytes(pretty: Bool = false) -> [UInt8] {
        JSONSerializer(pretty: pretty).bytes(self)
    }
}
