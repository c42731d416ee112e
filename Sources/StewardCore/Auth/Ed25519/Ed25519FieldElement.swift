/// An element of the field GF(2^255 - 19), the coordinates of Ed25519 points.
///
/// Five 51-bit limbs (radix 2^51). Products and squares return limbs below 2^51 + 2^20; sums
/// and differences do not carry (they are the bulk of the additions' work otherwise), so their
/// limbs grow: multiplication accepts limbs below 2^55, which covers a sum or difference of up
/// to two such terms, and a subtrahend's limbs must not exceed those of 4p (2^53 - 76 for the
/// lowest, 2^53 - 4 for the others). Values kept for long (points, tables, constants) are
/// normalized with ``carried()``. Only ``encoded()`` reduces fully to the canonical value.
///
/// Arithmetic here is variable-time: it serves signature verification, whose inputs are public.
struct Ed25519FieldElement: Sendable, Equatable {
    var l0: UInt64
    var l1: UInt64
    var l2: UInt64
    var l3: UInt64
    var l4: UInt64

    static let mask: UInt64 = (1 << 51) - 1

    @inline(__always)
    init(_ l0: UInt64, _ l1: UInt64, _ l2: UInt64, _ l3: UInt64, _ l4: UInt64) {
        (self.l0, self.l1, self.l2, self.l3, self.l4) = (l0, l1, l2, l3, l4)
    }

    static let zero = Ed25519FieldElement(0, 0, 0, 0, 0)
    static let one = Ed25519FieldElement(1, 0, 0, 0, 0)

    /// A small non-negative integer.
    init(_ value: UInt64) {
        precondition(value <= Self.mask)
        self.init(value, 0, 0, 0, 0)
    }

    /// Reads 32 little-endian bytes, ignoring the top bit (as RFC 8032 decoding does). Values
    /// from p to 2^255 - 1 are taken modulo p; ``encoded()`` of the result tells them apart.
    init<Bytes: RandomAccessCollection>(bytes: Bytes) where Bytes.Element == UInt8, Bytes.Index == Int {
        precondition(bytes.count == 32)
        func word(_ at: Int) -> UInt64 {
            var value: UInt64 = 0
            let start = bytes.startIndex + at
            for index in (0..<8).reversed() { value = value << 8 | UInt64(bytes[start + index]) }
            return value
        }
        let w0 = word(0), w1 = word(8), w2 = word(16), w3 = word(24)
        self.init(
            w0 & Self.mask,
            (w0 >> 51 | w1 << 13) & Self.mask,
            (w1 >> 38 | w2 << 26) & Self.mask,
            (w2 >> 25 | w3 << 39) & Self.mask,
            (w3 >> 12) & Self.mask)
    }

    // MARK: - Ring operations

    /// a + b, limb by limb, without carrying.
    @inline(__always)
    static func + (a: Self, b: Self) -> Self {
        Self(a.l0 &+ b.l0, a.l1 &+ b.l1, a.l2 &+ b.l2, a.l3 &+ b.l3, a.l4 &+ b.l4)
    }

    /// a - b, computed as a + 4p - b so that no limb goes below zero, without carrying.
    @inline(__always)
    static func - (a: Self, b: Self) -> Self {
        assert(b.l0 <= 0x1F_FFFF_FFFF_FFB4 && max(b.l1, b.l2, b.l3, b.l4) <= 0x1F_FFFF_FFFF_FFFC, "subtrahend above 4p")
        return Self(
            (a.l0 &+ 0x1F_FFFF_FFFF_FFB4) &- b.l0,
            (a.l1 &+ 0x1F_FFFF_FFFF_FFFC) &- b.l1,
            (a.l2 &+ 0x1F_FFFF_FFFF_FFFC) &- b.l2,
            (a.l3 &+ 0x1F_FFFF_FFFF_FFFC) &- b.l3,
            (a.l4 &+ 0x1F_FFFF_FFFF_FFFC) &- b.l4)
    }

    @inline(__always)
    static prefix func - (a: Self) -> Self {
        .zero - a
    }

    /// The same value with every limb below 2^51 plus a small carry into the lowest limb.
    @inline(__always)
    func carried() -> Self {
        var r = self
        var c = r.l0 >> 51
        r.l0 &= Self.mask
        r.l1 &+= c
        c = r.l1 >> 51
        r.l1 &= Self.mask
        r.l2 &+= c
        c = r.l2 >> 51
        r.l2 &= Self.mask
        r.l3 &+= c
        c = r.l3 >> 51
        r.l3 &= Self.mask
        r.l4 &+= c
        c = r.l4 >> 51
        r.l4 &= Self.mask
        r.l0 &+= c &* 19
        return r
    }

    @inline(__always)
    static func * (a: Self, b: Self) -> Self {
        a.multiplied(by: b)
    }

    @inline(__always)
    func multiplied(by b: Self) -> Self {
        assert(max(l0, l1, l2, l3, l4, b.l0, b.l1, b.l2, b.l3, b.l4) < 1 << 55, "factor limbs above 2^55")
        @inline(__always) func m(_ x: UInt64, _ y: UInt64) -> UInt128 { UInt128(x) &* UInt128(y) }
        let b1 = b.l1 &* 19, b2 = b.l2 &* 19, b3 = b.l3 &* 19, b4 = b.l4 &* 19
        let r0 = m(l0, b.l0) &+ m(l1, b4) &+ m(l2, b3) &+ m(l3, b2) &+ m(l4, b1)
        let r1 = m(l0, b.l1) &+ m(l1, b.l0) &+ m(l2, b4) &+ m(l3, b3) &+ m(l4, b2)
        let r2 = m(l0, b.l2) &+ m(l1, b.l1) &+ m(l2, b.l0) &+ m(l3, b4) &+ m(l4, b3)
        let r3 = m(l0, b.l3) &+ m(l1, b.l2) &+ m(l2, b.l1) &+ m(l3, b.l0) &+ m(l4, b4)
        let r4 = m(l0, b.l4) &+ m(l1, b.l3) &+ m(l2, b.l2) &+ m(l3, b.l1) &+ m(l4, b.l0)
        return Self.reduce(r0, r1, r2, r3, r4)
    }

    @inline(__always)
    func squared() -> Self {
        assert(max(l0, l1, l2, l3, l4) < 1 << 55, "factor limbs above 2^55")
        @inline(__always) func m(_ x: UInt64, _ y: UInt64) -> UInt128 { UInt128(x) &* UInt128(y) }
        let d0 = l0 &* 2, d1 = l1 &* 2, d2 = l2 &* 2
        let l3x19 = l3 &* 19, l4x19 = l4 &* 19
        let r0 = m(l0, l0) &+ m(d1, l4x19) &+ m(d2, l3x19)
        let r1 = m(d0, l1) &+ m(d2, l4x19) &+ m(l3, l3x19)
        let r2 = m(d0, l2) &+ m(l1, l1) &+ m(l3 &* 2, l4x19)
        let r3 = m(d0, l3) &+ m(d1, l2) &+ m(l4, l4x19)
        let r4 = m(d0, l4) &+ m(d1, l3) &+ m(l2, l2)
        return Self.reduce(r0, r1, r2, r3, r4)
    }

    @inline(__always)
    static func reduce(_ r0: UInt128, _ r1: UInt128, _ r2: UInt128, _ r3: UInt128, _ r4: UInt128) -> Self {
        var r1 = r1, r2 = r2, r3 = r3, r4 = r4
        let m = UInt128(mask)
        r1 &+= r0 >> 51
        let o0 = UInt64(truncatingIfNeeded: r0 & m)
        r2 &+= r1 >> 51
        let o1 = UInt64(truncatingIfNeeded: r1 & m)
        r3 &+= r2 >> 51
        let o2 = UInt64(truncatingIfNeeded: r2 & m)
        r4 &+= r3 >> 51
        let o3 = UInt64(truncatingIfNeeded: r3 & m)
        let top = r4 >> 51
        let o4 = UInt64(truncatingIfNeeded: r4 & m)
        let t0 = UInt128(o0) &+ top &* 19
        let c0 = UInt64(truncatingIfNeeded: t0 >> 51)
        return Self(UInt64(truncatingIfNeeded: t0 & m), o1 &+ c0, o2, o3, o4)
    }

    /// self^(2^n): n successive squarings.
    @inline(__always)
    func squared(times n: Int) -> Self {
        var r = self
        for _ in 0..<n { r = r.squared() }
        return r
    }

    // MARK: - Exponentiation

    /// self^(2^250 - 1) and self^11, the shared prefix of inversion and square roots.
    private func powerChain() -> (t250: Self, z11: Self) {
        let z2 = squared()
        let z9 = z2.squared(times: 2) * self
        let z11 = z9 * z2
        let z2_5_0 = z11.squared() * z9
        let z2_10_0 = z2_5_0.squared(times: 5) * z2_5_0
        let z2_20_0 = z2_10_0.squared(times: 10) * z2_10_0
        let z2_40_0 = z2_20_0.squared(times: 20) * z2_20_0
        let z2_50_0 = z2_40_0.squared(times: 10) * z2_10_0
        let z2_100_0 = z2_50_0.squared(times: 50) * z2_50_0
        let z2_200_0 = z2_100_0.squared(times: 100) * z2_100_0
        let z2_250_0 = z2_200_0.squared(times: 50) * z2_50_0
        return (z2_250_0, z11)
    }

    /// The multiplicative inverse, self^(p - 2); zero maps to zero.
    func inverted() -> Self {
        let (t250, z11) = powerChain()
        return t250.squared(times: 5) * z11
    }

    /// self^((p - 5) / 8) = self^(2^252 - 3), the core of the square root in point decoding.
    func raisedToPMinus5Over8() -> Self {
        let (t250, _) = powerChain()
        return t250.squared(times: 2) * self
    }

    // MARK: - Encoding and predicates

    /// The canonical 32-byte little-endian encoding (the value fully reduced below p).
    func encoded() -> [UInt8] {
        var r = carried().carried()
        // Now every limb is below 2^51 except a possible tiny excess in l0, and the value is
        // below 2^255 + 19 * small. Subtract p when the value is at least p.
        var q = (r.l0 &+ 19) >> 51
        q = (r.l1 &+ q) >> 51
        q = (r.l2 &+ q) >> 51
        q = (r.l3 &+ q) >> 51
        q = (r.l4 &+ q) >> 51
        r.l0 &+= 19 &* q
        r.l1 &+= r.l0 >> 51
        r.l0 &= Self.mask
        r.l2 &+= r.l1 >> 51
        r.l1 &= Self.mask
        r.l3 &+= r.l2 >> 51
        r.l2 &= Self.mask
        r.l4 &+= r.l3 >> 51
        r.l3 &= Self.mask
        r.l4 &= Self.mask
        let words: [UInt64] = [
            r.l0 | r.l1 << 51,
            r.l1 >> 13 | r.l2 << 38,
            r.l2 >> 26 | r.l3 << 25,
            r.l3 >> 39 | r.l4 << 12,
        ]
        var bytes = [UInt8](repeating: 0, count: 32)
        for (w, word) in words.enumerated() {
            for b in 0..<8 { bytes[w * 8 + b] = UInt8(truncatingIfNeeded: word >> (8 * b)) }
        }
        return bytes
    }

    /// True for the field's "negative" elements: those whose canonical encoding is odd.
    var isNegative: Bool { encoded()[0] & 1 == 1 }

    var isZero: Bool { encoded().allSatisfy { $0 == 0 } }

    static func == (a: Self, b: Self) -> Bool { a.encoded() == b.encoded() }
}
