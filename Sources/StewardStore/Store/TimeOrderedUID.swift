import Foundation
import StewardCore

/// Unique ids for stored objects and processes: version 7 UUIDs (RFC 9562), lowercase.
///
/// The first 48 bits are the Unix time in milliseconds and the remaining 74 free bits are
/// random, so ids made one after another sort close together. The UNIQUE indexes on them
/// (`services.uid`, `processes.id`, `definitions.uid`) therefore grow at their right edge
/// instead of dirtying a random leaf page on every insert, which keeps the pages a commit
/// group writes to the WAL few.
enum TimeOrderedUID {
    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// A new id, `xxxxxxxx-xxxx-7xxx-yxxx-xxxxxxxxxxxx`.
    static func make(now: Date = Date()) -> String {
        var random = SystemRandomNumberGenerator()
        let milliseconds = UInt64(max(0, now.millisecondsSince1970))
        let high = random.next() as UInt64
        let low = random.next() as UInt64
        // 48 bits of time, version 7, 12 random bits; variant 0b10, 62 random bits.
        let first = (milliseconds << 16) | 0x7000 | (high & 0x0FFF)
        let second = 0x8000_0000_0000_0000 | (low & 0x3FFF_FFFF_FFFF_FFFF)
        return format(first, second)
    }

    /// The canonical text of the 128-bit value `first` (high half) and `second`.
    static func format(_ first: UInt64, _ second: UInt64) -> String {
        String(unsafeUninitializedCapacity: 36) { out in
            var position = 0
            func put(_ value: UInt64, nibbles: Int) {
                for shift in stride(from: (nibbles - 1) * 4, through: 0, by: -4) {
                    out[position] = hexDigits[Int((value >> UInt64(shift)) & 0xF)]
                    position += 1
                }
            }
            func dash() {
                out[position] = UInt8(ascii: "-")
                position += 1
            }
            put(first >> 32, nibbles: 8)
            dash()
            put(first >> 16, nibbles: 4)
            dash()
            put(first, nibbles: 4)
            dash()
            put(second >> 48, nibbles: 4)
            dash()
            put(second, nibbles: 12)
            return position
        }
    }
}
