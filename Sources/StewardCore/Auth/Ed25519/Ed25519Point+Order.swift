extension Ed25519Point {
    /// True when the point's order divides 8 (the identity and the seven other points of the
    /// curve's torsion subgroup). Such a public key is worthless: `[k]A` takes at most eight
    /// values, and for the identity `R = A, S = 0` verifies for every message.
    var hasSmallOrder: Bool {
        doubled().doubled().doubled().encoded() == Self.identityEncoding
    }

    /// The encoding of the identity point: y = 1, x = 0 (`0100…00`).
    static let identityEncoding: [UInt8] = [1] + [UInt8](repeating: 0, count: 31)
}
