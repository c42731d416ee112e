/// Textual IP addresses: RFC 2673 dotted-quad IPv4 (no leading zeros, no shorthand forms)
/// and RFC 4291 section 2.2 IPv6 (with `::` compression and a trailing dotted-quad; no zone
/// identifiers, prefixes or brackets).
enum IPAddressFormat {
    static func isIPv4(_ value: String) -> Bool {
        isIPv4(Array(value.utf8)[...])
    }

    static func isIPv4(_ bytes: ArraySlice<UInt8>) -> Bool {
        var octets = 0
        var i = bytes.startIndex
        while true {
            let start = i
            var value = 0
            while i < bytes.endIndex, ASCII.isDigit(bytes[i]), i - start < 3 {
                value = value * 10 + Int(bytes[i] - 0x30)
                i += 1
            }
            let length = i - start
            guard length > 0, value <= 255, !(length > 1 && bytes[start] == UInt8(ascii: "0")) else { return false }
            octets += 1
            if octets == 4 { return i == bytes.endIndex }
            guard i < bytes.endIndex, bytes[i] == UInt8(ascii: ".") else { return false }
            i += 1
        }
    }

    static func isIPv6(_ value: String) -> Bool {
        isIPv6(Array(value.utf8)[...])
    }

    static func isIPv6(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard bytes.count >= 2 else { return false }
        var groups = 0
        var compressed = false
        var i = bytes.startIndex
        let end = bytes.endIndex
        if bytes[i] == UInt8(ascii: ":") {
            guard bytes[i + 1] == UInt8(ascii: ":") else { return false }
            compressed = true
            i += 2
            if i == end { return true }
        }
        while i < end {
            // An embedded IPv4 address may end the address.
            var j = i
            while j < end, ASCII.isHexDigit(bytes[j]) { j += 1 }
            if j < end, bytes[j] == UInt8(ascii: ".") {
                guard isIPv4(bytes[i...]) else { return false }
                groups += 2
                i = end
                break
            }
            let length = j - i
            guard length >= 1, length <= 4 else { return false }
            groups += 1
            i = j
            if i == end { break }
            guard bytes[i] == UInt8(ascii: ":") else { return false }
            i += 1
            if i < end, bytes[i] == UInt8(ascii: ":") {
                guard !compressed else { return false }
                compressed = true
                i += 1
                if i == end { break }
            } else if i == end {
                return false // a single trailing colon
            }
        }
        return compressed ? groups <= 7 : groups == 8
    }
}
