/// Host names: RFC 1123 for `hostname` (letters, digits and hyphens; labels of 1 to 63
/// characters that neither start nor end with a hyphen; at most 253 characters), and IDNA2008
/// for `idn-hostname` and for the `xn--` labels of either (see ``IDNALabel``).
enum HostnameFormat {
    static func isHostname(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        guard !bytes.isEmpty, bytes.count <= 253 else { return false }
        var labels: [[UInt32]] = []
        for label in bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) {
            guard let decoded = checkASCIILabel(Array(label)) else { return false }
            labels.append(decoded)
        }
        return IDNALabel.satisfiesBidiRule(labels)
    }

    static func isIDNHostname(_ value: String) -> Bool {
        guard !value.isEmpty else { return false }
        // Label separators of IDNA: full stop and its ideographic, fullwidth and halfwidth forms.
        let separators: Set<UInt32> = [0x2E, 0x3002, 0xFF0E, 0xFF61]
        var labels: [[UInt32]] = [[]]
        for scalar in value.unicodeScalars {
            if separators.contains(scalar.value) { labels.append([]) } else { labels[labels.count - 1].append(scalar.value) }
        }
        var total = labels.count - 1 // the dots
        var unicodeLabels: [[UInt32]] = []
        for label in labels {
            if label.allSatisfy({ $0 < 0x80 }) {
                guard let decoded = checkASCIILabel(label.map { UInt8($0) }) else { return false }
                total += label.count
                unicodeLabels.append(decoded)
            } else {
                guard IDNALabel.isValidULabel(label), let encoded = Punycode.encode(label) else { return false }
                let length = encoded.count + 4 // "xn--"
                guard length <= 63 else { return false }
                total += length
                unicodeLabels.append(label)
            }
        }
        return total <= 253 && IDNALabel.satisfiesBidiRule(unicodeLabels)
    }

    private static func lowercased(_ b: UInt8) -> UInt8 { ASCII.isAlpha(b) ? b | 0x20 : b }

    /// Checks an ASCII label (LDH, or an `xn--` A-label whose decoded U-label is valid and
    /// encodes back to it); returns the label's code points (decoded for A-labels).
    private static func checkASCIILabel(_ label: [UInt8]) -> [UInt32]? {
        guard !label.isEmpty, label.count <= 63, label.first != UInt8(ascii: "-"), label.last != UInt8(ascii: "-"),
              label.allSatisfy({ ASCII.isAlphaNumeric($0) || $0 == UInt8(ascii: "-") }) else { return nil }
        guard label.count >= 4, label[0] | 0x20 == UInt8(ascii: "x"), label[1] | 0x20 == UInt8(ascii: "n"),
              label[2] == UInt8(ascii: "-"), label[3] == UInt8(ascii: "-") else {
            return label.map { UInt32($0) }
        }
        let encoded = Array(label[4...])
        guard let decoded = Punycode.decode(encoded), decoded.contains(where: { $0 >= 0x80 }),
              let reencoded = Punycode.encode(decoded),
              reencoded.map(lowercased) == encoded.map(lowercased),
              IDNALabel.isValidULabel(decoded) else { return nil }
        return decoded
    }
}
