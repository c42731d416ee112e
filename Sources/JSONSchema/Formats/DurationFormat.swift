/// The ISO 8601 duration grammar of RFC 3339 appendix A, as JSON Schema uses it:
///
/// ```
/// duration = "P" (dur-date / dur-time / dur-week)
/// dur-date = (dur-day / dur-month / dur-year) [dur-time]
/// dur-time = "T" (dur-hour / dur-minute / dur-second)
/// dur-year = 1*DIGIT "Y" [dur-month]    dur-month = 1*DIGIT "M" [dur-day]
/// dur-day  = 1*DIGIT "D"                dur-week  = 1*DIGIT "W"
/// dur-hour = 1*DIGIT "H" [dur-minute]   dur-minute = 1*DIGIT "M" [dur-second]
/// dur-second = 1*DIGIT "S"
/// ```
enum DurationFormat {
    static func isDuration(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        guard bytes.first == UInt8(ascii: "P"), bytes.count > 1 else { return false }
        var i = 1
        // Reads `1*DIGIT unit`; returns the unit or nil.
        func component() -> UInt8? {
            let start = i
            while i < bytes.count, ASCII.isDigit(bytes[i]) { i += 1 }
            guard i > start, i < bytes.count else { return nil }
            i += 1
            return bytes[i - 1]
        }
        /// One or more components, each unit the one right after the previous in `order`.
        func sequence(_ order: [UInt8]) -> Bool {
            var expected: Int? = nil
            while i < bytes.count, bytes[i] != UInt8(ascii: "T") {
                guard let unit = component(), let position = order.firstIndex(of: unit) else { return false }
                if let expected, position != expected { return false }
                expected = position + 1
            }
            return expected != nil
        }
        if bytes[i] != UInt8(ascii: "T") {
            // Week form: exactly `nW`.
            let save = i
            if component() == UInt8(ascii: "W") { return i == bytes.count }
            i = save
            guard sequence([UInt8(ascii: "Y"), UInt8(ascii: "M"), UInt8(ascii: "D")]) else { return false }
            if i == bytes.count { return true }
        }
        guard i < bytes.count, bytes[i] == UInt8(ascii: "T") else { return false }
        i += 1
        guard sequence([UInt8(ascii: "H"), UInt8(ascii: "M"), UInt8(ascii: "S")]) else { return false }
        return i == bytes.count
    }
}
