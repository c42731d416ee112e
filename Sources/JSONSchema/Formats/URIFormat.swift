/// RFC 3986 URIs and URI references, and their RFC 3987 internationalized forms (IRIs), checked
/// against the ABNF:
///
/// ```
/// URI           = scheme ":" hier-part [ "?" query ] [ "#" fragment ]
/// relative-ref  = relative-part [ "?" query ] [ "#" fragment ]
/// hier-part     = "//" authority path-abempty / path-absolute / path-rootless / path-empty
/// authority     = [ userinfo "@" ] host [ ":" port ]
/// host          = IP-literal / IPv4address / reg-name
/// ```
///
/// IRIs also accept `ucschar` wherever `unreserved` is allowed, and `iprivate` in the query.
enum URIFormat {
    private static let subDelims = Set("!$&'()*+,;=".unicodeScalars.map(\.value))
    private static let unreservedSymbols = Set("-._~".unicodeScalars.map(\.value))

    private struct Scanner {
        let scalars: [UInt32]
        let international: Bool

        func isUnreserved(_ c: UInt32) -> Bool {
            if c < 0x80 { return ASCII.isAlphaNumeric(UInt8(c)) || URIFormat.unreservedSymbols.contains(c) }
            return international && Self.isUCSChar(c)
        }

        static func isUCSChar(_ c: UInt32) -> Bool {
            switch c {
            case 0xA0...0xD7FF, 0xF900...0xFDCF, 0xFDF0...0xFFEF: return true
            case 0x10000...0xEFFFD: return c & 0xFFFF <= 0xFFFD && !(0xE0000...0xE0FFF).contains(c) || (0xE1000...0xEFFFD).contains(c)
            default: return false
            }
        }

        static func isPrivate(_ c: UInt32) -> Bool {
            (0xE000...0xF8FF).contains(c) || (0xF0000...0xFFFFD).contains(c) || (0x100000...0x10FFFD).contains(c)
        }

        /// Checks that `range` consists of allowed code points and `%HH` escapes.
        func check(_ range: Range<Int>, allowing extra: (UInt32) -> Bool) -> Bool {
            var i = range.lowerBound
            while i < range.upperBound {
                let c = scalars[i]
                if c == 0x25 {
                    guard i + 2 < range.upperBound, scalars[i + 1] < 0x80, scalars[i + 2] < 0x80,
                          ASCII.isHexDigit(UInt8(scalars[i + 1])), ASCII.isHexDigit(UInt8(scalars[i + 2])) else { return false }
                    i += 3
                    continue
                }
                guard isUnreserved(c) || URIFormat.subDelims.contains(c) || extra(c) else { return false }
                i += 1
            }
            return true
        }

        /// pchar and "/" (paths).
        func checkPath(_ range: Range<Int>) -> Bool {
            check(range) { $0 == 0x3A || $0 == 0x40 || $0 == 0x2F }
        }

        /// pchar, "/" and "?" (query, fragment), plus iprivate in IRI queries.
        func checkQuery(_ range: Range<Int>, isQuery: Bool) -> Bool {
            check(range) { c in
                c == 0x3A || c == 0x40 || c == 0x2F || c == 0x3F || (isQuery && international && Self.isPrivate(c))
            }
        }

        func checkAuthority(_ range: Range<Int>) -> Bool {
            var hostStart = range.lowerBound
            if let at = scalars[range].firstIndex(of: 0x40) {
                guard check(range.lowerBound..<at, allowing: { $0 == 0x3A }) else { return false }
                hostStart = at + 1
            }
            var hostEnd = range.upperBound
            if hostStart < range.upperBound, scalars[hostStart] == 0x5B { // IP-literal
                guard let close = scalars[hostStart..<range.upperBound].firstIndex(of: 0x5D) else { return false }
                let literal = Array(scalars[(hostStart + 1)..<close].map { UInt8(truncatingIfNeeded: $0) })
                guard scalars[(hostStart + 1)..<close].allSatisfy({ $0 < 0x80 }), isIPLiteral(literal) else { return false }
                hostEnd = close + 1
                guard hostEnd == range.upperBound || scalars[hostEnd] == 0x3A else { return false }
            } else {
                hostEnd = scalars[hostStart..<range.upperBound].firstIndex(of: 0x3A) ?? range.upperBound
                guard check(hostStart..<hostEnd, allowing: { _ in false }) else { return false }
            }
            if hostEnd < range.upperBound { // port
                return scalars[(hostEnd + 1)..<range.upperBound].allSatisfy { $0 < 0x80 && ASCII.isDigit(UInt8($0)) }
            }
            return true
        }

        func isIPLiteral(_ literal: [UInt8]) -> Bool {
            if let first = literal.first, first | 0x20 == UInt8(ascii: "v") { // IPvFuture
                guard let dot = literal.firstIndex(of: UInt8(ascii: ".")), dot > 1,
                      literal[1..<dot].allSatisfy(ASCII.isHexDigit), dot + 1 < literal.count else { return false }
                return literal[(dot + 1)...].allSatisfy { b in
                    ASCII.isAlphaNumeric(b) || URIFormat.unreservedSymbols.contains(UInt32(b))
                        || URIFormat.subDelims.contains(UInt32(b)) || b == UInt8(ascii: ":")
                }
            }
            return IPAddressFormat.isIPv6(literal[...])
        }
    }

    static func isValid(_ value: String, international: Bool, allowRelative: Bool) -> Bool {
        let scalars = value.unicodeScalars.map(\.value)
        let scanner = Scanner(scalars: scalars, international: international)
        var end = scalars.count
        if let hash = scalars.firstIndex(of: 0x23) {
            guard scanner.checkQuery((hash + 1)..<end, isQuery: false) else { return false }
            end = hash
        }
        if let question = scalars[..<end].firstIndex(of: 0x3F) {
            guard scanner.checkQuery((question + 1)..<end, isQuery: true) else { return false }
            end = question
        }
        var start = 0
        // A scheme is whatever precedes the first ':' that comes before any '/'.
        let firstSlash = scalars[..<end].firstIndex(of: 0x2F) ?? end
        if let colon = scalars[..<firstSlash].firstIndex(of: 0x3A) {
            guard colon > 0, scalars[0] < 0x80, ASCII.isAlpha(UInt8(scalars[0])),
                  scalars[1..<colon].allSatisfy({ $0 < 0x80 && (ASCII.isAlphaNumeric(UInt8($0)) || $0 == 0x2B || $0 == 0x2D || $0 == 0x2E) })
            else { return false } // not a scheme, and a relative path's first segment cannot hold ':'
            start = colon + 1
        } else if !allowRelative {
            return false
        }
        if end - start >= 2, scalars[start] == 0x2F, scalars[start + 1] == 0x2F {
            let authorityEnd = scalars[(start + 2)..<end].firstIndex(of: 0x2F) ?? end
            guard scanner.checkAuthority((start + 2)..<authorityEnd) else { return false }
            start = authorityEnd
        }
        return scanner.checkPath(start..<end)
    }
}
