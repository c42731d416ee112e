/// Decoding of code points from valid UTF-8 (Swift strings are always valid UTF-8), forwards
/// and backwards, by byte offset. The matchers work on byte offsets so that they need no
/// per-match allocation.
enum UTF8Scalars {
    /// The code point starting at `i` and its length in bytes. `i` must be < `bytes.count`.
    @inline(__always)
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> (scalar: UInt32, length: Int) {
        let b0 = UInt32(bytes[i])
        if b0 < 0x80 { return (b0, 1) }
        if b0 < 0xE0 {
            return ((b0 & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F), 2)
        }
        if b0 < 0xF0 {
            return ((b0 & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F), 3)
        }
        let value = (b0 & 0x07) << 18 | UInt32(bytes[i + 1] & 0x3F) << 12
            | UInt32(bytes[i + 2] & 0x3F) << 6 | UInt32(bytes[i + 3] & 0x3F)
        return (value, 4)
    }

    /// The code point that ends at `i` and its length in bytes. `i` must be > 0.
    @inline(__always)
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, before i: Int) -> (scalar: UInt32, length: Int) {
        var start = i - 1
        while bytes[start] & 0xC0 == 0x80 { start -= 1 }
        return (decode(bytes, at: start).scalar, i - start)
    }

    /// True when `i` is at the start of a code point (or at the end).
    @inline(__always)
    static func isBoundary(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        i >= bytes.count || bytes[i] & 0xC0 != 0x80
    }
}
