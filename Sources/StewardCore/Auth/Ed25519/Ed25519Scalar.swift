/// An integer modulo the Ed25519 group order L = 2^252 + 27742317777372353535851937790883648493,
/// as four little-endian 64-bit words.
struct Ed25519Scalar: Sendable {
    var w0: UInt64
    var w1: UInt64
    var w2: UInt64
    var w3: UInt64

    /// L, little-endian.
    static let order: (UInt64, UInt64, UInt64, UInt64) = (0x5812_631A_5CF5_D3ED, 0x14DE_F9DE_A2F7_9CD6, 0, 0x1000_0000_0000_0000)

    init(_ w0: UInt64, _ w1: UInt64, _ w2: UInt64, _ w3: UInt64) {
        (self.w0, self.w1, self.w2, self.w3) = (w0, w1, w2, w3)
    }

    /// The signature's `S` half as it must be: 32 little-endian bytes of a value below L
    /// (RFC 8032 section 5.1.7). Anything else is nil.
    init?(canonical bytes: ArraySlice<UInt8>) {
        guard bytes.count == 32 else { return nil }
        let start = bytes.startIndex
        func word(_ index: Int) -> UInt64 {
            var value: UInt64 = 0
            for offset in (0..<8).reversed() { value = value << 8 | UInt64(bytes[start + index * 8 + offset]) }
            return value
        }
        self.init(word(0), word(1), word(2), word(3))
        let order = Self.order
        guard (w3, w2, w1, w0) < (order.3, order.2, order.1, order.0) else { return nil }
    }

    /// A 64-byte little-endian integer (a SHA-512 digest) reduced modulo L.
    init(reducing bytes: some Collection<UInt8>) {
        // Horner's rule from the most significant byte: r = (r * 256 + byte) mod L. Before each
        // reduction r < 2^261; q = floor(r / 2^252) over-estimates floor(r / L) by at most one,
        // so r - q L lies in (-L, L) and one addition of L mends a negative result.
        var r: (UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0)
        let order = Self.order
        for byte in bytes.reversed() {
            r.4 = r.4 << 8 | r.3 >> 56
            r.3 = r.3 << 8 | r.2 >> 56
            r.2 = r.2 << 8 | r.1 >> 56
            r.1 = r.1 << 8 | r.0 >> 56
            r.0 = r.0 << 8 | UInt64(byte)
            let q = r.3 >> 60 | r.4 << 4
            // q * L as five words.
            let p0 = q.multipliedFullWidth(by: order.0)
            let p1 = q.multipliedFullWidth(by: order.1)
            let p3 = q.multipliedFullWidth(by: order.3)
            var m: (UInt64, UInt64, UInt64, UInt64, UInt64) = (p0.low, 0, 0, 0, 0)
            var overflow: Bool
            (m.1, overflow) = p0.high.addingReportingOverflow(p1.low)
            m.2 = p1.high &+ (overflow ? 1 : 0)
            m.3 = p3.low
            m.4 = p3.high
            // r -= q * L with borrow.
            var borrow: UInt64 = 0
            func subtract(_ a: UInt64, _ b: UInt64) -> UInt64 {
                let (d1, o1) = a.subtractingReportingOverflow(b)
                let (d2, o2) = d1.subtractingReportingOverflow(borrow)
                borrow = (o1 || o2) ? 1 : 0
                return d2
            }
            r.0 = subtract(r.0, m.0)
            r.1 = subtract(r.1, m.1)
            r.2 = subtract(r.2, m.2)
            r.3 = subtract(r.3, m.3)
            r.4 = subtract(r.4, m.4)
            if borrow == 1 {
                var carry: UInt64 = 0
                func add(_ a: UInt64, _ b: UInt64) -> UInt64 {
                    let (s1, o1) = a.addingReportingOverflow(b)
                    let (s2, o2) = s1.addingReportingOverflow(carry)
                    carry = (o1 || o2) ? 1 : 0
                    return s2
                }
                r.0 = add(r.0, order.0)
                r.1 = add(r.1, order.1)
                r.2 = add(r.2, order.2)
                r.3 = add(r.3, order.3)
                r.4 = add(r.4, 0)
            }
        }
        self.init(r.0, r.1, r.2, r.3)
    }

    /// The `index`th digit of the scalar in signed radix 2^`width` (width at most 8), given the
    /// carry out of the digit below; digits lie in [-2^(width-1), 2^(width-1)) and sum, times
    /// their powers of 2^width, to the scalar.
    @inline(__always)
    func signedDigit(_ index: Int, width: Int, carry: inout Int) -> Int {
        let bit = index * width
        let word = bit >> 6
        let shift = bit & 63
        var bits: UInt64
        switch word {
        case 0: bits = w0 >> shift | (shift == 0 ? 0 : w1 << (64 - shift))
        case 1: bits = w1 >> shift | (shift == 0 ? 0 : w2 << (64 - shift))
        case 2: bits = w2 >> shift | (shift == 0 ? 0 : w3 << (64 - shift))
        case 3: bits = w3 >> shift
        default: bits = 0
        }
        let value = Int(bits & ((1 << UInt64(width)) - 1)) + carry
        let half = 1 << (width - 1)
        if value >= half {
            carry = 1
            return value - (1 << width)
        }
        carry = 0
        return value
    }
}
