/// A point of the Ed25519 curve -x^2 + y^2 = 1 + d x^2 y^2 in extended coordinates
/// (X : Y : Z : T) with x = X/Z, y = Y/Z and xy = T/Z.
///
/// The additions are the unified formulas of Hisil, Wong, Carter and Dawson, which are complete
/// on this curve (they hold for every pair of points, the identity and equal points included).
struct Ed25519Point: Sendable {
    typealias Field = Ed25519FieldElement

    var x: Field
    var y: Field
    var z: Field
    var t: Field

    @inline(__always)
    init(x: Field, y: Field, z: Field, t: Field) {
        (self.x, self.y, self.z, self.t) = (x, y, z, t)
    }

    static let identity = Ed25519Point(x: .zero, y: .one, z: .one, t: .zero)

    /// The curve constant d = -121665/121666.
    static let d: Field = (-(Field(121_665) * Field(121_666).inverted())).carried()

    /// 2d, used by the additions.
    static let d2: Field = (d + d).carried()

    /// sqrt(-1) = 2^((p - 1)/4).
    static let sqrtMinusOne: Field = {
        // (p - 1)/4 = 2^253 - 5: square 2 up to 2^252 - 3 (the decoding exponent) then fix up
        // by computing 2^((p-1)/4) directly from its binary expansion.
        var result = Field.one
        var base = Field(2)
        // 2^253 - 5 in binary: 253 bits; bits 0 and 1 set, bit 2 clear, bits 3...252 set.
        for bit in 0..<253 {
            if bit != 2 { result = result * base }
            base = base.squared()
        }
        return result
    }()

    /// The base point B: y = 4/5 with x even.
    static let base: Ed25519Point = {
        var encoding = [UInt8](repeating: 0x66, count: 32)
        encoding[0] = 0x58
        guard let point = Ed25519Point(decoding: encoding) else { preconditionFailure("the Ed25519 base point decodes") }
        return point
    }()

    // MARK: - Encoding

    /// Decodes a point as RFC 8032 section 5.1.3 does, but strictly: an encoding of y that is
    /// not below p, or of x = 0 with the sign bit set, is refused (as is any y that is not on
    /// the curve), so every point has exactly one accepted encoding.
    init?(decoding bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        let y = Field(bytes: bytes)
        var canonical = bytes
        canonical[31] &= 0x7F
        guard y.encoded() == canonical else { return nil }
        let yy = y.squared()
        let u = (yy - .one).carried()
        let v = yy * Self.d + .one
        // x = u v^3 (u v^7)^((p-5)/8) is a square root of u/v when one exists.
        let v3 = v.squared() * v
        var x = u * v3 * (u * v3.squared() * v).raisedToPMinus5Over8()
        let check = x.squared() * v
        if !(check == u) {
            guard check == -u else { return nil }
            x = x * Self.sqrtMinusOne
        }
        let sign = bytes[31] >> 7 == 1
        if x.isZero && sign { return nil }
        if x.isNegative != sign { x = (-x).carried() }
        self.init(x: x, y: y, z: .one, t: x * y)
    }

    /// The 32-byte encoding: y with the sign of x in the top bit.
    func encoded() -> [UInt8] {
        let inverse = z.inverted()
        let affineX = x * inverse
        var bytes = (y * inverse).encoded()
        if affineX.isNegative { bytes[31] |= 0x80 }
        return bytes
    }

    // MARK: - Group operations

    /// self + q for a precomputed affine point.
    @inline(__always)
    func adding(_ q: Ed25519NielsPoint) -> Ed25519Point {
        let a = (y + x) * q.yPlusX
        let b = (y - x) * q.yMinusX
        let c = t * q.xy2d
        let d = z + z
        return Self.completed(e: a - b, f: d - c, g: d + c, h: a + b)
    }

    /// self - q for a precomputed affine point.
    @inline(__always)
    func subtracting(_ q: Ed25519NielsPoint) -> Ed25519Point {
        let a = (y + x) * q.yMinusX
        let b = (y - x) * q.yPlusX
        let c = t * q.xy2d
        let d = z + z
        return Self.completed(e: a - b, f: d + c, g: d - c, h: a + b)
    }

    /// self + q for any point (used to build tables).
    func adding(_ q: Ed25519Point) -> Ed25519Point {
        let a = (y - x) * (q.y - q.x)
        let b = (y + x) * (q.y + q.x)
        let c = t * Self.d2 * q.t
        let zz = z * q.z
        let d = zz + zz
        return Self.completed(e: b - a, f: d - c, g: d + c, h: b + a)
    }

    /// 2 self.
    func doubled() -> Ed25519Point {
        let xx = x.squared()
        let yy = y.squared()
        let zz = z.squared()
        let c = zz + zz
        let e = (x + y).squared() - xx - yy
        let g = yy - xx
        let f = g - c
        let h = -(xx + yy)
        return Self.completed(e: e, f: f, g: g, h: h)
    }

    @inline(__always)
    static func completed(e: Field, f: Field, g: Field, h: Field) -> Ed25519Point {
        Ed25519Point(x: e * f, y: g * h, z: f * g, t: e * h)
    }
}
