/// An error from parsing JSON text: what was wrong and where (1-based line and column).
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case unexpectedEnd, unexpectedCharacter, invalidNumber, invalidString, invalidEscape
        case invalidUTF8, tooDeep, trailingCharacters, duplicateKey
    }

    public let code: Code
    public let message: String
    /// Byte offset of the problem in the input.
    public let offset: Int
    public let line: Int
    public let column: Int

    public var description: String { "\(message) at line \(line), column \(column)" }
}

/// A fast JSON parser over UTF-8 bytes (RFC 8259).
///
/// - Rejects invalid UTF-8, control characters in strings, lone surrogate escapes, leading
///   zeros, trailing garbage, and duplicate keys in an object (which different readers would
///   resolve differently).
/// - Stops past `maxDepth` nested arrays/objects with a `tooDeep` error instead of
///   exhausting the stack.
public struct JSONParser {
    public struct Options: Sendable {
        /// Deepest nesting of arrays and objects accepted.
        public var maxDepth: Int = 512
        /// Accept several values separated by whitespace (used for JSON lines is not needed:
        /// split on newlines instead). Kept false: one document, one value.
        public init(maxDepth: Int = 512) { self.maxDepth = maxDepth }
    }

    public static let defaultMaxDepth = 512

    /// Parses one JSON value from `bytes`; whitespace may surround it, nothing else.
    public static func parse<C: Collection<UInt8>>(_ bytes: C, options: Options = Options()) throws(JSONParseError) -> JSON {
        let result: Result<JSON, JSONParseError>? = bytes.withContiguousStorageIfAvailable { buffer in
            Self.parseBuffer(buffer, options: options)
        }
        if let result { return try result.get() }
        let copy = Array(bytes)
        return try copy.withUnsafeBufferPointer { Self.parseBuffer($0, options: options) }.get()
    }

    /// Parses one JSON value from a string.
    public static func parse(_ text: String, options: Options = Options()) throws(JSONParseError) -> JSON {
        var text = text
        let result = text.withUTF8 { Self.parseBuffer($0, options: options) }
        return try result.get()
    }

    static func parseBuffer(_ buffer: UnsafeBufferPointer<UInt8>, options: Options) -> Result<JSON, JSONParseError> {
        var reader = Reader(buffer: buffer, maxDepth: options.maxDepth)
        do {
            reader.skipWhitespace()
            let value = try reader.parseValue(depth: 0)
            reader.skipWhitespace()
            if reader.pos < buffer.count {
                throw reader.error(.trailingCharacters, "unexpected characters after the JSON value")
            }
            return .success(value)
        } catch let e as JSONParseError {
            return .failure(e)
        } catch {
            return .failure(reader.error(.unexpectedCharacter, "\(error)"))
        }
    }
}

extension JSON {
    /// Parses JSON text (UTF-8 bytes).
    public init<C: Collection<UInt8>>(parsing bytes: C, maxDepth: Int = JSONParser.defaultMaxDepth) throws(JSONParseError) {
        self = try JSONParser.parse(bytes, options: .init(maxDepth: maxDepth))
    }

    /// Parses JSON text.
    public init(parsing text: String, maxDepth: Int = JSONParser.defaultMaxDepth) throws(JSONParseError) {
        self = try JSONParser.parse(text, options: .init(maxDepth: maxDepth))
    }
}

private let quote = UInt8(ascii: "\"")
private let backslash = UInt8(ascii: "\\")

private struct Reader {
    let buffer: UnsafeBufferPointer<UInt8>
    let maxDepth: Int
    var pos = 0

    init(buffer: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.buffer = buffer
        self.maxDepth = maxDepth
    }

    func error(_ code: JSONParseError.Code, _ message: String, at offset: Int? = nil) -> JSONParseError {
        let offset = min(offset ?? pos, buffer.count)
        var line = 1
        var lineStart = 0
        for i in 0..<offset where buffer[i] == UInt8(ascii: "\n") {
            line += 1
            lineStart = i + 1
        }
        // Column counts characters, not bytes: skip UTF-8 continuation bytes.
        var column = 1
        var i = lineStart
        while i < offset {
            if buffer[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return JSONParseError(code: code, message: message, offset: offset, line: line, column: column)
    }

    func describe(_ byte: UInt8) -> String {
        if byte >= 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x" + String(byte, radix: 16, uppercase: true)
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while pos < buffer.count {
            switch buffer[pos] {
            case 0x20, 0x0A, 0x0D, 0x09: pos += 1
            default: return
            }
        }
    }

    mutating func parseValue(depth: Int) throws(JSONParseError) -> JSON {
        guard pos < buffer.count else { throw error(.unexpectedEnd, "unexpected end of input, expected a value") }
        switch buffer[pos] {
        case quote:
            return .string(try parseString())
        case UInt8(ascii: "{"):
            return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["):
            return try parseArray(depth: depth + 1)
        case UInt8(ascii: "t"):
            try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try parseNumber()
        default:
            throw error(.unexpectedCharacter, "unexpected \(describe(buffer[pos])), expected a value")
        }
    }

    mutating func expectLiteral(_ word: StaticString) throws(JSONParseError) {
        let n = word.utf8CodeUnitCount
        let start = pos
        guard pos + n <= buffer.count else {
            throw error(.unexpectedEnd, "unexpected end of input in literal '\(word)'")
        }
        let p = word.utf8Start
        for i in 0..<n where buffer[pos + i] != p[i] {
            throw error(.unexpectedCharacter, "invalid literal, expected '\(word)'", at: start)
        }
        pos += n
    }

    mutating func parseArray(depth: Int) throws(JSONParseError) -> JSON {
        if depth > maxDepth {
            throw error(.tooDeep, "nesting is deeper than the limit of \(maxDepth) levels")
        }
        pos += 1  // [
        skipWhitespace()
        if pos < buffer.count, buffer[pos] == UInt8(ascii: "]") {
            pos += 1
            return .array([])
        }
        var elements: [JSON] = []
        elements.reserveCapacity(4)
        while true {
            skipWhitespace()
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            guard pos < buffer.count else { throw error(.unexpectedEnd, "unexpected end of input in array, expected ',' or ']'") }
            let c = buffer[pos]
            pos += 1
            if c == UInt8(ascii: ",") { continue }
            if c == UInt8(ascii: "]") { return .array(elements) }
            pos -= 1
            throw error(.unexpectedCharacter, "unexpected \(describe(c)) in array, expected ',' or ']'")
        }
    }

    mutating func parseObject(depth: Int) throws(JSONParseError) -> JSON {
        if depth > maxDepth {
            throw error(.tooDeep, "nesting is deeper than the limit of \(maxDepth) levels")
        }
        pos += 1  // {
        skipWhitespace()
        if pos < buffer.count, buffer[pos] == UInt8(ascii: "}") {
            pos += 1
            return .object(JSONObject())
        }
        var keys: [String] = []
        var values: [JSON] = []
        keys.reserveCapacity(8)
        values.reserveCapacity(8)
        var seen: Set<String>? = nil
        while true {
            skipWhitespace()
            guard pos < buffer.count else { throw error(.unexpectedEnd, "unexpected end of input in object, expected a key") }
            guard buffer[pos] == quote else {
                throw error(.unexpectedCharacter, "unexpected \(describe(buffer[pos])) in object, expected a string key")
            }
            let keyStart = pos
            let key = try parseString()
            // Duplicate detection: a linear scan for small objects, a set for large ones.
            if keys.count < 16 {
                if keys.contains(key) { throw error(.duplicateKey, "duplicate key '\(key)' in object", at: keyStart) }
            } else {
                if seen == nil { seen = Set(keys) }
                if !seen!.insert(key).inserted { throw error(.duplicateKey, "duplicate key '\(key)' in object", at: keyStart) }
            }
            skipWhitespace()
            guard pos < buffer.count else { throw error(.unexpectedEnd, "unexpected end of input in object, expected ':'") }
            guard buffer[pos] == UInt8(ascii: ":") else {
                throw error(.unexpectedCharacter, "unexpected \(describe(buffer[pos])) after key '\(key)', expected ':'")
            }
            pos += 1
            skipWhitespace()
            let value = try parseValue(depth: depth)
            keys.append(key)
            values.append(value)
            skipWhitespace()
            guard pos < buffer.count else { throw error(.unexpectedEnd, "unexpected end of input in object, expected ',' or '}'") }
            let c = buffer[pos]
            pos += 1
            if c == UInt8(ascii: ",") { continue }
            if c == UInt8(ascii: "}") { return .object(JSONObject(uniqueKeys: keys, values: values)) }
            pos -= 1
            throw error(.unexpectedCharacter, "unexpected \(describe(c)) in object, expected ',' or '}'")
        }
    }

    mutating func parseString() throws(JSONParseError) -> String {
        let start = pos
        pos += 1  // opening quote
        let contentStart = pos
        var ascii = true
        // Fast scan, eight bytes at a time, until a quote, a backslash or a control byte.
        if let base = buffer.baseAddress {
            let ones: UInt64 = 0x0101_0101_0101_0101
            let highs: UInt64 = 0x8080_8080_8080_8080
            while pos + 8 <= buffer.count {
                let w = UnsafeRawPointer(base + pos).loadUnaligned(as: UInt64.self)
                let q = w ^ (ones &* 0x22)
                let b = w ^ (ones &* 0x5C)
                let special = ((q &- ones) & ~q) | ((b &- ones) & ~b) | ((w &- ones &* 0x20) & ~w)
                if special & highs != 0 { break }
                if w & highs != 0 { ascii = false }
                pos += 8
            }
        }
        while pos < buffer.count {
            let c = buffer[pos]
            if c == quote {
                let slice = UnsafeBufferPointer(rebasing: buffer[contentStart..<pos])
                pos += 1
                if ascii { return String(decoding: slice, as: UTF8.self) }
                guard let s = String(validating: slice, as: UTF8.self) else {
                    throw error(.invalidUTF8, "invalid UTF-8 in string", at: start)
                }
                return s
            }
            if c == backslash { break }
            if c < 0x20 {
                throw error(.invalidString, "control character \(describe(c)) in string must be escaped")
            }
            if c >= 0x80 { ascii = false }
            pos += 1
        }
        guard pos < buffer.count else { throw error(.unexpectedEnd, "unterminated string", at: start) }
        // Slow path with escapes: collect bytes.
        var bytes = [UInt8](UnsafeBufferPointer(rebasing: buffer[contentStart..<pos]))
        while pos < buffer.count {
            let c = buffer[pos]
            if c == quote {
                pos += 1
                guard let s = String(validating: bytes, as: UTF8.self) else {
                    throw error(.invalidUTF8, "invalid UTF-8 in string", at: start)
                }
                return s
            }
            if c < 0x20 {
                throw error(.invalidString, "control character \(describe(c)) in string must be escaped")
            }
            if c != backslash {
                bytes.append(c)
                pos += 1
                continue
            }
            pos += 1
            guard pos < buffer.count else { break }
            let e = buffer[pos]
            pos += 1
            switch e {
            case quote: bytes.append(quote)
            case backslash: bytes.append(backslash)
            case UInt8(ascii: "/"): bytes.append(UInt8(ascii: "/"))
            case UInt8(ascii: "b"): bytes.append(0x08)
            case UInt8(ascii: "f"): bytes.append(0x0C)
            case UInt8(ascii: "n"): bytes.append(0x0A)
            case UInt8(ascii: "r"): bytes.append(0x0D)
            case UInt8(ascii: "t"): bytes.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try parseHex4()
                if scalar >= 0xD800 && scalar < 0xDC00 {
                    // High surrogate: a low surrogate escape must follow.
                    guard pos + 1 < buffer.count, buffer[pos] == backslash, buffer[pos + 1] == UInt8(ascii: "u") else {
                        throw error(.invalidEscape, "lone surrogate \\u\(String(scalar, radix: 16)) in string")
                    }
                    pos += 2
                    let low = try parseHex4()
                    guard low >= 0xDC00 && low < 0xE000 else {
                        throw error(.invalidEscape, "invalid surrogate pair in string")
                    }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if scalar >= 0xDC00 && scalar < 0xE000 {
                    throw error(.invalidEscape, "lone surrogate \\u\(String(scalar, radix: 16)) in string")
                }
                bytes.append(contentsOf: UTF8.encode(Unicode.Scalar(scalar)!)!)
            default:
                pos -= 1
                throw error(.invalidEscape, "invalid escape '\\\(Character(Unicode.Scalar(e)))' in string")
            }
        }
        throw error(.unexpectedEnd, "unterminated string", at: start)
    }

    mutating func parseHex4() throws(JSONParseError) -> UInt32 {
        guard pos + 4 <= buffer.count else { throw error(.unexpectedEnd, "unexpected end of input in \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = buffer[pos]
            let d: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - 48)
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - 87)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - 55)
            default: throw error(.invalidEscape, "invalid hex digit \(describe(c)) in \\u escape")
            }
            v = v << 4 | d
            pos += 1
        }
        return v
    }

    mutating func parseNumber() throws(JSONParseError) -> JSON {
        let start = pos
        var negative = false
        if buffer[pos] == UInt8(ascii: "-") {
            negative = true
            pos += 1
        }
        guard pos < buffer.count, buffer[pos] >= 48, buffer[pos] <= 57 else {
            throw error(.invalidNumber, "invalid number: expected a digit", at: pos)
        }
        // Integer part.
        var mantissa: UInt64 = 0
        var significantDigits = 0
        var overflow = false
        if buffer[pos] == 48 {
            pos += 1
            if pos < buffer.count, buffer[pos] >= 48, buffer[pos] <= 57 {
                throw error(.invalidNumber, "invalid number: leading zeros are not allowed", at: start)
            }
        } else {
            while pos < buffer.count, buffer[pos] >= 48, buffer[pos] <= 57 {
                if significantDigits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(buffer[pos] - 48)
                } else {
                    overflow = true
                }
                significantDigits += 1
                pos += 1
            }
        }
        var isInteger = true
        var fractionDigits = 0
        if pos < buffer.count, buffer[pos] == UInt8(ascii: ".") {
            isInteger = false
            pos += 1
            guard pos < buffer.count, buffer[pos] >= 48, buffer[pos] <= 57 else {
                throw error(.invalidNumber, "invalid number: expected a digit after '.'", at: pos)
            }
            while pos < buffer.count, buffer[pos] >= 48, buffer[pos] <= 57 {
                if significantDigits == 0 && buffer[pos] == 48 {
                    // Leading zeros of the fraction are not significant.
                } else if significantDigits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(buffer[pos] - 48)
                    significantDigits += 1
                } else {
                    overflow = true
                    significantDigits += 1
                }
                fractionDigits += 1
                pos += 1
            }
        }
        var exponent = 0
        if pos < buffer.count, buffer[pos] == UInt8(ascii: "e") || buffer[pos] == UInt8(ascii: "E") {
            isInteger = false
            pos += 1
            var expNegative = false
            if pos < buffer.count, buffer[pos] == UInt8(ascii: "+") || buffer[pos] == UInt8(ascii: "-") {
                expNegative = buffer[pos] == UInt8(ascii: "-")
                pos += 1
            }
            guard pos < buffer.count, buffer[pos] >= 48, buffer[pos] <= 57 else {
                throw error(.invalidNumber, "invalid number: expected a digit in the exponent", at: pos)
            }
            while pos < buffer.count, buffer[pos] >= 48, buffer[pos] <= 57 {
                if exponent < 100_000 { exponent = exponent * 10 + Int(buffer[pos] - 48) }
                pos += 1
            }
            if expNegative { exponent = -exponent }
        }
        let end = pos
        if isInteger {
            if !overflow {
                if negative {
                    if mantissa <= UInt64(Int.max) + 1 { return .int(mantissa == UInt64(Int.max) + 1 ? Int.min : -Int(mantissa)) }
                } else if mantissa <= UInt64(Int.max) {
                    return .int(Int(mantissa))
                }
            }
            return .decimal(makeDecimal(start, end))
        }
        // Fast exact path (Clinger): up to 15 significant digits and a small power of ten.
        if !overflow && significantDigits <= 15 {
            let e10 = exponent - fractionDigits
            if e10 >= -22 && e10 <= 22 {
                var d = Double(mantissa)
                if e10 < 0 { d /= powersOfTen[-e10] } else { d *= powersOfTen[e10] }
                return .double(negative ? -d : d)
            }
            let text = String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<end]), as: UTF8.self)
            if let d = Double(text), d.isFinite, d != 0 || mantissa == 0 {
                return .double(d)
            }
            return .decimal(JSONDecimal(text)!)
        }
        // More digits than a Double holds: keep the exact value.
        return .decimal(makeDecimal(start, end))
    }

    func makeDecimal(_ start: Int, _ end: Int) -> JSONDecimal {
        JSONDecimal(String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<end]), as: UTF8.self))!
    }
}

private let powersOfTen: [Double] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
]
