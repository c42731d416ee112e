/// A set of Unicode code points: sorted, disjoint, non-adjacent ranges, with a bitmap for the
/// ASCII part so that the common case is one shift and one mask.
struct RegexCharSet: Hashable, Sendable {
    static let maxCodePoint: UInt32 = 0x10FFFF

    /// Sorted, disjoint and non-adjacent.
    private(set) var ranges: [ClosedRange<UInt32>]
    private var asciiLow: UInt64 = 0
    private var asciiHigh: UInt64 = 0

    init() { ranges = [] }

    /// Builds a set from any ranges (unsorted, overlapping allowed).
    init<S: Sequence>(ranges input: S) where S.Element == ClosedRange<UInt32> {
        var sorted = input.sorted { $0.lowerBound < $1.lowerBound }
        var merged: [ClosedRange<UInt32>] = []
        merged.reserveCapacity(sorted.count)
        for range in sorted {
            if let last = merged.last, range.lowerBound <= last.upperBound &+ 1 {
                if range.upperBound > last.upperBound {
                    merged[merged.count - 1] = last.lowerBound...range.upperBound
                }
            } else {
                merged.append(range)
            }
        }
        sorted = []
        ranges = merged
        computeBitmap()
    }

    init(scalar: UInt32) { self.init(ranges: [scalar...scalar]) }

    private mutating func computeBitmap() {
        asciiLow = 0
        asciiHigh = 0
        for range in ranges {
            guard range.lowerBound < 128 else { break }
            for c in range.lowerBound...min(range.upperBound, 127) {
                if c < 64 { asciiLow |= 1 << UInt64(c) } else { asciiHigh |= 1 << UInt64(c - 64) }
            }
        }
    }

    /// Every code point not in this set.
    var inverted: RegexCharSet {
        var result: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for range in ranges {
            if range.lowerBound > next { result.append(next...(range.lowerBound - 1)) }
            next = range.upperBound &+ 1
            if range.upperBound == Self.maxCodePoint { next = Self.maxCodePoint + 1 }
        }
        if next <= Self.maxCodePoint { result.append(next...Self.maxCodePoint) }
        return RegexCharSet(ranges: result)
    }

    func union(_ other: RegexCharSet) -> RegexCharSet {
        RegexCharSet(ranges: ranges + other.ranges)
    }

    var isEmpty: Bool { ranges.isEmpty }

    @inline(__always)
    func contains(_ c: UInt32) -> Bool {
        if c < 64 { return asciiLow & (1 << UInt64(c)) != 0 }
        if c < 128 { return asciiHigh & (1 << UInt64(c - 64)) != 0 }
        return containsNonASCII(c)
    }

    private func containsNonASCII(_ c: UInt32) -> Bool {
        var lo = 0
        var hi = ranges.count
        while lo < hi {
            let mid = (lo + hi) / 2
            let range = ranges[mid]
            if c < range.lowerBound {
                hi = mid
            } else if c > range.upperBound {
                lo = mid + 1
            } else {
                return true
            }
        }
        return false
    }
}

extension RegexCharSet {
    /// `\d`: ASCII digits only.
    static let digits = RegexCharSet(ranges: [0x30...0x39])
    /// `\w`: `[A-Za-z0-9_]` (ECMA-262 without the `i` flag).
    static let wordCharacters = RegexCharSet(ranges: [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A])
    /// `\s`: ECMA-262 WhiteSpace and LineTerminator.
    static let whiteSpace = RegexCharSet(ranges: [
        0x09...0x0D, 0x20...0x20, 0xA0...0xA0, 0x1680...0x1680, 0x2000...0x200A,
        0x2028...0x2029, 0x202F...0x202F, 0x205F...0x205F, 0x3000...0x3000, 0xFEFF...0xFEFF,
    ])
    /// `.`: everything but the line terminators.
    static let dot = RegexCharSet(ranges: [0x0A...0x0A, 0x0D...0x0D, 0x2028...0x2029]).inverted
    static let all = RegexCharSet(ranges: [0...maxCodePoint])

    @inline(__always)
    static func isWordCharacter(_ c: UInt32) -> Bool {
        (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39) || c == 0x5F
    }
}
