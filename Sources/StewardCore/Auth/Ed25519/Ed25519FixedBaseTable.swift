/// Precomputed multiples of one point, so that multiplying it by any scalar below 2^253 takes
/// only additions: the scalar is split into signed digits of `width` bits (``Ed25519Scalar/signedDigit(_:width:carry:)``)
/// and window `i` holds `j × 2^(width × i) × P` for `j` in 1...2^(width-1), in affine form.
///
/// With width 8 (32 windows of 128 points, about 480 KiB) a multiplication is 32 mixed
/// additions; with width 5 (51 windows of 16 points, about 96 KiB) it is 51.
final class Ed25519FixedBaseTable: Sendable {
    let width: Int
    let windows: Int
    let perWindow: Int
    let points: [Ed25519NielsPoint]

    /// The table of `point` for digits of `width` bits (2 to 8).
    init(point: Ed25519Point, width: Int) {
        precondition((2...8).contains(width))
        self.width = width
        self.windows = (253 + width - 1) / width
        self.perWindow = 1 << (width - 1)
        var projective: [Ed25519Point] = []
        projective.reserveCapacity(windows * perWindow)
        var base = point
        for _ in 0..<windows {
            var multiple = base
            for j in 0..<perWindow {
                projective.append(multiple)
                if j + 1 < perWindow { multiple = multiple.adding(base) }
            }
            for _ in 0..<width { base = base.doubled() }
        }
        self.points = Self.affine(projective)
    }

    /// The points in affine form, with one field inversion for all of them (Montgomery's trick).
    private static func affine(_ points: [Ed25519Point]) -> [Ed25519NielsPoint] {
        var prefix: [Ed25519FieldElement] = []
        prefix.reserveCapacity(points.count)
        var running = Ed25519FieldElement.one
        for point in points {
            prefix.append(running)
            running = running * point.z
        }
        var inverse = running.inverted()
        var result = [Ed25519NielsPoint](repeating: Ed25519NielsPoint(yPlusX: .one, yMinusX: .one, xy2d: .zero), count: points.count)
        for index in points.indices.reversed() {
            let zInverse = inverse * prefix[index]
            inverse = inverse * points[index].z
            result[index] = Ed25519NielsPoint(x: points[index].x * zInverse, y: points[index].y * zInverse)
        }
        return result
    }

    /// acc + scalar × P (or acc - scalar × P with `subtract`), for a scalar below 2^253.
    @inline(__always)
    func accumulate(_ scalar: Ed25519Scalar, into acc: inout Ed25519Point, subtract: Bool) {
        points.withUnsafeBufferPointer { table in
            var carry = 0
            for window in 0..<windows {
                let digit = scalar.signedDigit(window, width: width, carry: &carry)
                if digit == 0 { continue }
                let entry = table[window &* perWindow &+ abs(digit) &- 1]
                if (digit > 0) != subtract {
                    acc = acc.adding(entry)
                } else {
                    acc = acc.subtracting(entry)
                }
            }
            precondition(carry == 0, "scalar out of range for a fixed-base table")
        }
    }
}
