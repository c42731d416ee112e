/// RFC 3339 `full-date`, `full-time` and `date-time` (section 5.6), with the leap-second rule:
/// second 60 is allowed only when the time, converted to UTC, is 23:59:60.
enum DateTimeFormat {
    static func isDate(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        return bytes.count == 10 && isDate(bytes[...])
    }

    static func isTime(_ value: String) -> Bool {
        isTime(Array(value.utf8)[...])
    }

    static func isDateTime(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        guard bytes.count > 11, bytes[10] | 0x20 == UInt8(ascii: "t") else { return false }
        return isDate(bytes[0..<10]) && isTime(bytes[11...])
    }

    /// Two or more ASCII digits at `at` as a number.
    private static func number(_ bytes: ArraySlice<UInt8>, _ at: Int, _ length: Int) -> Int? {
        guard at + length <= bytes.endIndex else { return nil }
        var value = 0
        for b in bytes[at..<(at + length)] {
            guard ASCII.isDigit(b) else { return nil }
            value = value * 10 + Int(b - 0x30)
        }
        return value
    }

    private static func isDate(_ bytes: ArraySlice<UInt8>) -> Bool {
        let s = bytes.startIndex
        guard bytes.count == 10, bytes[s + 4] == UInt8(ascii: "-"), bytes[s + 7] == UInt8(ascii: "-"),
              let year = number(bytes, s, 4), let month = number(bytes, s + 5, 2), let day = number(bytes, s + 8, 2),
              (1...12).contains(month), day >= 1 else { return false }
        return day <= daysIn(month: month, year: year)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// `HH:MM:SS[.frac](Z|±HH:MM)`.
    private static func isTime(_ bytes: ArraySlice<UInt8>) -> Bool {
        let s = bytes.startIndex
        guard bytes.count >= 9, bytes[s + 2] == UInt8(ascii: ":"), bytes[s + 5] == UInt8(ascii: ":"),
              let hour = number(bytes, s, 2), let minute = number(bytes, s + 3, 2), let second = number(bytes, s + 6, 2),
              hour <= 23, minute <= 59, second <= 60 else { return false }
        var i = s + 8
        if bytes[i] == UInt8(ascii: ".") {
            i += 1
            let digitsStart = i
            while i < bytes.endIndex, ASCII.isDigit(bytes[i]) { i += 1 }
            guard i > digitsStart else { return false }
        }
        guard i < bytes.endIndex else { return false } // the offset is required
        var offsetMinutes = 0
        if bytes[i] | 0x20 == UInt8(ascii: "z") {
            guard i + 1 == bytes.endIndex else { return false }
        } else {
            let sign = bytes[i]
            guard sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-"), bytes.endIndex - i == 6,
                  bytes[i + 3] == UInt8(ascii: ":"),
                  let offsetHour = number(bytes, i + 1, 2), let offsetMinute = number(bytes, i + 4, 2),
                  offsetHour <= 23, offsetMinute <= 59 else { return false }
            offsetMinutes = (offsetHour * 60 + offsetMinute) * (sign == UInt8(ascii: "+") ? 1 : -1)
        }
        if second == 60 {
            let utc = ((hour * 60 + minute - offsetMinutes) % 1440 + 1440) % 1440
            return utc == 23 * 60 + 59
        }
        return true
    }
}
