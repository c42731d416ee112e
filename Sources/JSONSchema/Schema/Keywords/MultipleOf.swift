/// `multipleOf`, decided exactly: integers by remainder, any other number by decimal digits
/// (so `0.0075` is a multiple of `0.0001`), falling back to binary floating point only for
/// divisors with more than 18 significant digits.
final class MultipleOf: Sendable {
    let value: JSON
    private let int: Int?
    private let decimal: JSONDecimal
    /// The divisor's significant digits as an integer, when they fit.
    private let divisorDigits: UInt64?

    init?(_ value: JSON) {
        guard let d = JSONDecimal(value), !d.isZero, !d.isNegative else { return nil }
        self.value = value
        self.decimal = d
        if case .int(let i) = value { int = i } else { int = value.intValue }
        if d.digits.count <= 18 {
            divisorDigits = d.digits.reduce(UInt64(0)) { $0 * 10 + UInt64($1) }
        } else {
            divisorDigits = nil
        }
    }

    /// True when `instance` is a multiple; true for non-numbers (the keyword does not apply).
    @inline(__always)
    func accepts(_ instance: JSON) -> Bool {
        if case .int(let i) = instance, let d = int { return i % d == 0 }
        guard instance.isNumber else { return true }
        return acceptsSlow(instance)
    }

    private func acceptsSlow(_ instance: JSON) -> Bool {
        guard let x = JSONDecimal(instance) else { return true }
        if x.isZero { return true }
        guard let divisor = divisorDigits else {
            let q = x.doubleValue / decimal.doubleValue
            return q.isFinite && q.rounded(.towardZero) == q
        }
        // x = X·10^ex, d = D·10^ed; with e = min(ex, ed), x/d is whole exactly when
        // X·10^(ex-e) is divisible by D·10^(ed-e). X has no trailing zeros, so a positive
        // power of ten on the divisor's side can only divide it if ... it never can.
        let e = min(x.exponent, decimal.exponent)
        if decimal.exponent - e > 0 { return false }
        let shift = x.exponent - e
        var r: UInt64 = 0
        for digit in x.digits { r = Self.mulAddMod(r, 10, UInt64(digit), divisor) }
        r = Self.mulMod(r, Self.powMod(10, shift, divisor), divisor)
        return r == 0
    }

    private static func mulMod(_ a: UInt64, _ b: UInt64, _ m: UInt64) -> UInt64 {
        let p = a.multipliedFullWidth(by: b)
        return m.dividingFullWidth((p.high, p.low)).remainder
    }

    private static func mulAddMod(_ a: UInt64, _ b: UInt64, _ c: UInt64, _ m: UInt64) -> UInt64 {
        let p = a.multipliedFullWidth(by: b)
        let (low, carry) = p.low.addingReportingOverflow(c)
        return m.dividingFullWidth((p.high + (carry ? 1 : 0), low)).remainder
    }

    private static func powMod(_ base: UInt64, _ exponent: Int, _ m: UInt64) -> UInt64 {
        if m == 1 { return 0 }
        var result: UInt64 = 1
        var b = base % m
        var e = exponent
        while e > 0 {
            if e & 1 == 1 { result = mulMod(result, b, m) }
            b = mulMod(b, b, m)
            e >>= 1
        }
        return result
    }

    var text: String { ErrorText.value(value) }
}
