/// Checks strings against the `format` vocabulary of JSON Schema (draft 7 to 2020-12).
///
/// Each check follows the specification the format names: RFC 3339 for `date-time`, `date`
/// and `time`; the JSON Schema ISO 8601 ABNF for `duration`; RFC 5321 / 6531 for `email` /
/// `idn-email`; RFC 1123 and IDNA2008 (RFC 5890–5893) for `hostname` / `idn-hostname`;
/// RFC 2673 / 4291 for `ipv4` / `ipv6`; RFC 3986 / 3987 for `uri`, `uri-reference`, `iri`,
/// `iri-reference`; RFC 6570 for `uri-template`; RFC 4122 layout for `uuid`; ECMA-262 for
/// `regex`; RFC 6901 and the relative JSON pointer draft for `json-pointer` and
/// `relative-json-pointer`.
///
/// ```swift
/// FormatChecker.isValid("2024-02-29", format: "date")      // true
/// FormatChecker.isValid("2023-02-29", format: "date")      // false
/// FormatChecker.isValid("anything", format: "x-custom")    // nil: unknown formats pass
/// ```
public enum FormatChecker {
    /// The format names this checker knows.
    public static let knownFormats: Set<String> = [
        "date-time", "date", "time", "duration",
        "email", "idn-email", "hostname", "idn-hostname",
        "ipv4", "ipv6",
        "uri", "uri-reference", "iri", "iri-reference", "uri-template",
        "uuid", "regex", "json-pointer", "relative-json-pointer",
    ]

    /// Whether `value` is valid for `format`; nil when the format is unknown (an unknown
    /// format asserts nothing, so callers treat nil as valid).
    public static func isValid(_ value: String, format: String) -> Bool? {
        checker(for: format)?(value)
    }

    /// The check of `format`, resolved once (a compiled schema keeps it), or nil for a format
    /// this checker does not know.
    public static func checker(for format: String) -> (@Sendable (String) -> Bool)? {
        switch format {
        case "date-time": return DateTimeFormat.isDateTime
        case "date": return DateTimeFormat.isDate
        case "time": return DateTimeFormat.isTime
        case "duration": return DurationFormat.isDuration
        case "email": return { EmailFormat.isEmail($0, international: false) }
        case "idn-email": return { EmailFormat.isEmail($0, international: true) }
        case "hostname": return HostnameFormat.isHostname
        case "idn-hostname": return HostnameFormat.isIDNHostname
        case "ipv4": return IPAddressFormat.isIPv4
        case "ipv6": return IPAddressFormat.isIPv6
        case "uri": return { URIFormat.isValid($0, international: false, allowRelative: false) }
        case "uri-reference": return { URIFormat.isValid($0, international: false, allowRelative: true) }
        case "iri": return { URIFormat.isValid($0, international: true, allowRelative: false) }
        case "iri-reference": return { URIFormat.isValid($0, international: true, allowRelative: true) }
        case "uri-template": return URITemplateFormat.isURITemplate
        case "uuid": return isUUID
        case "regex": return { (try? ECMARegex.validateSyntax($0)) != nil }
        case "json-pointer": return JSONPointerFormat.isJSONPointer
        case "relative-json-pointer": return JSONPointerFormat.isRelativeJSONPointer
        default: return nil
        }
    }

    /// `8-4-4-4-12` hexadecimal digits, any case, any version and variant.
    static func isUUID(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        guard bytes.count == 36 else { return false }
        for (i, b) in bytes.enumerated() {
            if i == 8 || i == 13 || i == 18 || i == 23 {
                guard b == UInt8(ascii: "-") else { return false }
            } else {
                guard ASCII.isHexDigit(b) else { return false }
            }
        }
        return true
    }
}
