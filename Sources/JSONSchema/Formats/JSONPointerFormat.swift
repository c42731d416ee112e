/// RFC 6901 JSON pointers and relative JSON pointers
/// (draft-handrews-relative-json-pointer: a non-negative integer, then `#` or a JSON pointer).
enum JSONPointerFormat {
    static func isJSONPointer(_ value: String) -> Bool {
        isJSONPointer(Array(value.utf8)[...])
    }

    private static func isJSONPointer(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard let first = bytes.first else { return true }
        guard first == UInt8(ascii: "/") else { return false }
        var i = bytes.startIndex
        while i < bytes.endIndex {
            if bytes[i] == UInt8(ascii: "~") {
                guard i + 1 < bytes.endIndex, bytes[i + 1] == UInt8(ascii: "0") || bytes[i + 1] == UInt8(ascii: "1") else {
                    return false
                }
                i += 2
            } else {
                i += 1
            }
        }
        return true
    }

    static func isRelativeJSONPointer(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        var i = 0
        while i < bytes.count, ASCII.isDigit(bytes[i]) { i += 1 }
        guard i > 0, !(i > 1 && bytes[0] == UInt8(ascii: "0")) else { return false }
        if i == bytes.count { return true }
        if bytes[i] == UInt8(ascii: "#") { return i + 1 == bytes.count }
        return isJSONPointer(bytes[i...])
    }
}
