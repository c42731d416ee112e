/// Builds request paths and query strings exactly as they go on the request line, which is
/// also what gets signed.
enum PathBuilder {
    /// Characters left as they are in a path segment or query value (RFC 3986 unreserved).
    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// Percent-encodes everything but unreserved characters (and the bytes in `keep`).
    static func encode(_ text: String, keep: Set<UInt8> = []) -> String {
        var output = ""
        for byte in text.utf8 {
            if isUnreserved(byte) || keep.contains(byte) {
                output.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                output += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0xF, radix: 16, uppercase: true)
            }
        }
        return output
    }

    /// `/api/v1/` followed by the encoded segments, then the query items that have a value.
    static func api(_ segments: [String], query items: [(String, String?)] = []) -> String {
        var path = "/api/v1"
        for segment in segments { path += "/" + encode(segment) }
        return path + query(items)
    }

    /// `?name=value&...` of the items that have a value; empty when none has.
    static func query(_ query: [(String, String?)]) -> String {
        let items = query.compactMap { name, value in value.map { encode(name) + "=" + encode($0, keep: [UInt8(ascii: ",")]) } }
        return items.isEmpty ? "" : "?" + items.joined(separator: "&")
    }
}
