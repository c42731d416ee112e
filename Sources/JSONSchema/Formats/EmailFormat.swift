/// RFC 5321 `Mailbox` (`email`), and its RFC 6531 extension to UTF-8 (`idn-email`):
///
/// ```
/// Mailbox    = Local-part "@" ( Domain / address-literal )
/// Local-part = Dot-string / Quoted-string        ; at most 64 octets
/// Dot-string = Atom *("." Atom)                  ; Atom = 1*atext
/// Quoted-string = DQUOTE *(qtextSMTP / quoted-pairSMTP) DQUOTE
/// address-literal = "[" ( IPv4 / "IPv6:" IPv6 / Standardized-tag ":" 1*dcontent ) "]"
/// ```
///
/// For `idn-email`, `atext` and `qtextSMTP` also take any non-ASCII code point and the domain
/// is an `idn-hostname`.
enum EmailFormat {
    private static let atextSymbols = Set("!#$%&'*+-/=?^_`{|}~".unicodeScalars.map(\.value))

    private static func isAtext(_ c: UInt32, _ international: Bool) -> Bool {
        (c < 0x80 && (ASCII.isAlphaNumeric(UInt8(c)) || atextSymbols.contains(c))) || (international && c >= 0x80)
    }

    static func isEmail(_ value: String, international: Bool) -> Bool {
        let scalars = value.unicodeScalars.map(\.value)
        var i = 0
        if scalars.first == 0x22 { // quoted local part
            i = 1
            while i < scalars.count, scalars[i] != 0x22 {
                let c = scalars[i]
                if c == 0x5C {
                    guard i + 1 < scalars.count else { return false }
                    let quoted = scalars[i + 1]
                    guard (0x20...0x7E).contains(quoted) || (international && quoted >= 0x80) else { return false }
                    i += 2
                } else {
                    guard c == 0x20 || c == 0x21 || (0x23...0x5B).contains(c) || (0x5D...0x7E).contains(c)
                        || (international && c >= 0x80) else { return false }
                    i += 1
                }
            }
            guard i < scalars.count else { return false }
            i += 1
        } else { // dot-string
            var atomLength = 0
            while i < scalars.count, scalars[i] != 0x40 {
                let c = scalars[i]
                if c == 0x2E {
                    guard atomLength > 0 else { return false }
                    atomLength = 0
                } else {
                    guard isAtext(c, international) else { return false }
                    atomLength += 1
                }
                i += 1
            }
            guard atomLength > 0 else { return false }
        }
        guard i < scalars.count, scalars[i] == 0x40 else { return false }
        let localPart = String(String.UnicodeScalarView(scalars[..<i].compactMap(Unicode.Scalar.init)))
        guard localPart.utf8.count <= 64 else { return false }
        let domain = String(String.UnicodeScalarView(scalars[(i + 1)...].compactMap(Unicode.Scalar.init)))
        return isDomain(domain, international: international)
    }

    private static func isDomain(_ domain: String, international: Bool) -> Bool {
        guard domain.hasPrefix("["), domain.hasSuffix("]"), domain.count >= 2 else {
            return international ? HostnameFormat.isIDNHostname(domain) : HostnameFormat.isHostname(domain)
        }
        let literal = Array(domain.utf8.dropFirst().dropLast())
        if literal.starts(with: Array("IPv6:".utf8)) {
            return IPAddressFormat.isIPv6(literal[5...])
        }
        if IPAddressFormat.isIPv4(literal[...]) { return true }
        // General-address-literal: Standardized-tag ":" 1*dcontent
        guard let colon = literal.firstIndex(of: UInt8(ascii: ":")), colon > 0, colon + 1 < literal.count else { return false }
        let tag = literal[..<colon]
        let content = literal[(colon + 1)...]
        return tag.allSatisfy { ASCII.isAlphaNumeric($0) || $0 == UInt8(ascii: "-") }
            && tag.last != UInt8(ascii: "-")
            && content.allSatisfy { (33...90).contains($0) || (94...126).contains($0) }
    }
}
