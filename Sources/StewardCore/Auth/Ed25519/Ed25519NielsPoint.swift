/// A point prepared for mixed addition: (y + x, y - x, 2dxy) of its affine coordinates.
struct Ed25519NielsPoint: Sendable {
    var yPlusX: Ed25519FieldElement
    var yMinusX: Ed25519FieldElement
    var xy2d: Ed25519FieldElement

    @inline(__always)
    init(yPlusX: Ed25519FieldElement, yMinusX: Ed25519FieldElement, xy2d: Ed25519FieldElement) {
        (self.yPlusX, self.yMinusX, self.xy2d) = (yPlusX, yMinusX, xy2d)
    }

    /// The affine point x, y.
    init(x: Ed25519FieldElement, y: Ed25519FieldElement) {
        self.init(yPlusX: (y + x).carried(), yMinusX: (y - x).carried(), xy2d: x * y * Ed25519Point.d2)
    }
}
