/// A JSON number kept exactly: a sign, a run of significant decimal digits and a power of ten.
///
/// The parser keeps a number as a `JSONDecimal` when neither `Int` nor `Double` holds its
/// value as written (`12345678901234567890123`, `1e400`, `0.1000000000000000000001`).
/// The text as written is kept for serialization.
public struct JSONDecimal: Sendable, Hashable {
    /// The literal as written in the document.
    public let text: String
    public let isNegative: Bool
    /// Significant digits (0...9), without leading or trailing zeros; empty for zero.
    public let digits: [UInt8]
    /// The value is `digits × 10^exponent`.
    public let exponent: Int
    /// The nearest `Double` (may be infinite for huge values).
    public let doubleValue: Double

    /// Parses a JSON number literal. Returns nil when `text` is not one.
    public init?(_ text: String) {
        var bytes = Array(text.utf8)[...]
        var negative = false
        if bytes.first == UInt8(ascii: "-") {
            negative = true
            bytes = bytes.dropFirst()
        }
        var digits: [UInt8] = []
        var exponent = 0
        var sawDigit = false
        var i = bytes.startIndex
        while i < bytes.endIndex, bytes[i] >= 48, bytes[i] <= 57 {
            digits.append(bytes[i] - 48); sawDigit = true; i += 1
        }
        if i < bytes.endIndex, bytes[i] == UInt8(ascii: ".") {
            i += 1
            var frac = false
            while i < bytes.endIndex, bytes[i] >= 48, bytes[i] <= 57 {
                digits.append(bytes[i] - 48); exponent -= 1; frac = true; i += 1
            }
            if !frac { return nil }
        }
        guard sawDigit else { return nil }
        if i < bytes.endIndex, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            var expNegative = false
            if i < bytes.endIndex, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") {
                expNegative = bytes[i] == UInt8(ascii: "-"); i += 1
            }
            var e = 0
            var sawExp = false
            while i < bytes.endIndex, bytes[i] >= 48, bytes[i] <= 57 {
                // Saturate: beyond 10^±(1<<40) every comparison is already decided.
                if e < (1 << 40) { e = e * 10 + Int(bytes[i] - 48) }
                sawExp = true; i += 1
            }
            if !sawExp { return nil }
            exponent += expNegative ? -e : e
        }
        guard i == bytes.endIndex else { return nil }
        // Normalize: strip leading zeros, then trailing zeros into the exponent.
        var start = 0
        while start < digits.count, digits[start] == 0 { start += 1 }
        var end = digits.count
        while end > start, digits[end - 1] == 0 { end -= 1; exponent += 1 }
        let significant = Array(digits[start..<end])
        self.text = text
        self.isNegative = negative && !significant.isEmpty
        self.digits = significant
        self.exponent = significant.isEmpty ? 0 : exponent
        self.doubleValue = Double(text) ?? (negative ? -.infinity : .infinity)
    }

    /// The exact decimal form of any JSON number (a `Double` is taken as its shortest
    /// round-trip representation, the way it is written). Nil for non-numbers.
    public init?(_ value: JSON) {
        switch value {
        case .int(let i): self.init(String(i))
        case .double(let d):
            guard d.isFinite else { return nil }
            self.init(Self.literal(of: d))
        case .decimal(let d): self = d
        default: return nil
        }
    }

    /// `d` as a JSON number literal (Swift prints `1e-05`, `5e+20`, which JSON accepts).
    static func literal(of d: Double) -> String {
        d.description
    }

    public var isZero: Bool { digits.isEmpty }

    /// True when the value is a whole number.
    public var isInteger: Bool { exponent >= 0 }

    /// Compares two JSON numbers by mathematical value: negative, zero or positive as
    /// `lhs` is less than, equal to or greater than `rhs`. Non-numbers compare as equal.
    public static func compare(_ lhs: JSON, _ rhs: JSON) -> Int {
        switch (lhs, rhs) {
        case (.int(let a), .int(let b)): return a < b ? -1 : (a == b ? 0 : 1)
        case (.double(let a), .double(let b)): return a < b ? -1 : (a == b ? 0 : 1)
        case (.int(let a), .double(let b)):
            if let da = Double(exactly: a) { return da < b ? -1 : (da == b ? 0 : 1) }
        case (.double(let a), .int(let b)):
            if let db = Double(exactly: b) { return a < db ? -1 : (a == db ? 0 : 1) }
        default: break
        }
        guard let a = JSONDecimal(lhs), let b = JSONDecimal(rhs) else { return 0 }
        return a.compare(to: b)
    }

    /// Compares by mathematical value.
    public func compare(to other: JSONDecimal) -> Int {
        if isNegative != other.isNegative { return isNegative ? -1 : 1 }
        let magnitude = Self.compareMagnitude(self, other)
        return isNegative ? -magnitude : magnitude
    }

    static func compareMagnitude(_ a: JSONDecimal, _ b: JSONDecimal) -> Int {
        if a.isZero || b.isZero { return a.isZero ? (b.isZero ? 0 : -1) : 1 }
        // Order of magnitude: the position of the leading digit.
        let ma = a.digits.count + a.exponent
        let mb = b.digits.count + b.exponent
        if ma != mb { return ma < mb ? -1 : 1 }
        let n = max(a.digits.count, b.digits.count)
        for i in 0..<n {
            let da = i < a.digits.count ? a.digits[i] : 0
            let db = i < b.digits.count ? b.digits[i] : 0
            if da != db { return da < db ? -1 : 1 }
        }
        return 0
    }

    public static func == (lhs: JSONDecimal, rhs: JSONDecimal) -> Bool {
        lhs.compare(to: rhs) == 0
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(isNegative)
        hasher.combine(digits)
        hasher.combine(exponent)
    }
}
