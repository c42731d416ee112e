import Foundation
import Testing
@testable import JSONSchema

@Suite("FormatChecker")
struct FormatTests {
    private func valid(_ value: String, _ format: String) -> Bool {
        FormatChecker.isValid(value, format: format) == true
    }

    @Test func unknownFormatsAreNil() {
        #expect(FormatChecker.isValid("anything", format: "x-made-up") == nil)
        #expect(FormatChecker.isValid("anything", format: "") == nil)
        for format in FormatChecker.knownFormats {
            #expect(FormatChecker.isValid("", format: format) != nil, "\(format) should be known")
        }
    }

    @Test func dates() {
        #expect(valid("2024-02-29", "date"))
        #expect(!valid("2023-02-29", "date"))
        #expect(!valid("1900-02-29", "date"))
        #expect(valid("2000-02-29", "date"))
        #expect(!valid("2024-1-01", "date"))
        #expect(!valid("2024-13-01", "date"))
    }

    @Test func timesAndLeapSeconds() {
        #expect(valid("23:59:60Z", "time"))
        #expect(valid("15:59:60-08:00", "time"))
        #expect(!valid("23:59:60+01:00", "time"))
        #expect(!valid("12:00:00", "time"))
        #expect(valid("12:00:00.123456+05:30", "time"))
        #expect(valid("1985-04-12t23:20:50.52z", "date-time"))
        #expect(!valid("1985-04-12 23:20:50Z", "date-time"))
    }

    @Test func durations() {
        for ok in ["P1Y", "P1Y2M3DT4H5M6S", "PT36H", "P2W", "P1M2D", "PT1M2S"] { #expect(valid(ok, "duration"), "\(ok)") }
        for bad in ["P", "PT", "P1Y2D", "PT1H2S", "P1W2D", "P1.5Y", "1Y", "P1DT"] { #expect(!valid(bad, "duration"), "\(bad)") }
    }

    @Test func emails() {
        #expect(valid("a.b+c@example.com", "email"))
        #expect(valid("\"a b\"@example.com", "email"))
        #expect(valid("x@[192.168.0.1]", "email"))
        #expect(valid("x@[IPv6:2001:db8::1]", "email"))
        #expect(!valid("a..b@example.com", "email"))
        #expect(!valid("ü@example.com", "email"))
        #expect(valid("ü@example.com", "idn-email"))
        #expect(valid("用户@例子.广告", "idn-email"))
        #expect(!valid(String(repeating: "a", count: 65) + "@example.com", "email"))
    }

    @Test func hostnames() {
        #expect(valid("registry.local", "hostname"))
        #expect(!valid("-bad.example", "hostname"))
        #expect(!valid("bad_.example", "hostname"))
        #expect(!valid(String(repeating: "a", count: 64) + ".com", "hostname"))
        #expect(valid("xn--bcher-kva.example", "hostname"))
        #expect(valid("bücher.example", "idn-hostname"))
        #expect(!valid("bücher.example", "hostname"))
        #expect(!valid("xn--X", "hostname"))
    }

    @Test func internationalizedHostnames() {
        #expect(valid("مثال.إختبار", "idn-hostname"))
        #expect(valid("דוגמה.טעסט", "idn-hostname"))
        #expect(valid("例子.测试", "idn-hostname"))
        // ZERO WIDTH NON-JOINER between a dual-joining and a right-joining Arabic letter.
        #expect(valid("نامه\u{200C}ای", "idn-hostname"))
        #expect(!valid("a\u{200C}b", "idn-hostname"))
        // Bidi rule: a left-to-right label may not hold right-to-left letters.
        #expect(!valid("abcא", "idn-hostname"))
        // Uppercase is not stable under NFKC case folding, so it is DISALLOWED in a U-label.
        #expect(!valid("Bücher", "idn-hostname"))
        #expect(valid("Example.com", "idn-hostname"))
        #expect(!valid("a b", "idn-hostname"))
    }

    @Test func punycodeRoundTrips() throws {
        let decoded = try #require(Punycode.decode(Array("bcher-kva".utf8)))
        #expect(String(String.UnicodeScalarView(decoded.compactMap(Unicode.Scalar.init))) == "bücher")
        #expect(Punycode.encode(decoded) == Array("bcher-kva".utf8))
        #expect(Punycode.decode(Array("99999999999999".utf8)) == nil)
    }

    @Test func ipAddresses() {
        #expect(valid("10.0.0.1", "ipv4"))
        #expect(!valid("10.0.0.01", "ipv4"))
        #expect(!valid("10.0.0", "ipv4"))
        #expect(valid("::", "ipv6"))
        #expect(valid("2001:db8::8a2e:370:7334", "ipv6"))
        #expect(valid("::ffff:10.0.0.1", "ipv6"))
        #expect(!valid("fe80::1%eth0", "ipv6"))
        #expect(!valid("1::2::3", "ipv6"))
    }

    @Test func urisAndIRIs() {
        #expect(valid("https://user@example.com:8443/a/b?c=d#e", "uri"))
        #expect(valid("urn:isbn:0451450523", "uri"))
        #expect(!valid("/relative", "uri"))
        #expect(valid("/relative", "uri-reference"))
        #expect(valid("", "uri-reference"))
        #expect(!valid("http://exa mple.com", "uri"))
        #expect(!valid("http://example.com/ü", "uri"))
        #expect(valid("http://example.com/ü", "iri"))
        #expect(valid("http://[2001:db8::1]:80/", "uri"))
        #expect(!valid("http://[2001:db8::1/", "uri"))
    }

    @Test func uriTemplates() {
        #expect(valid("https://example.com/{service}/{+path}{?q,limit:10}", "uri-template"))
        #expect(!valid("https://example.com/{service", "uri-template"))
        #expect(!valid("{a b}", "uri-template"))
    }

    @Test func uuidsPointersAndRegexes() {
        #expect(valid("123e4567-e89b-12d3-a456-426614174000", "uuid"))
        #expect(!valid("123e4567e89b12d3a456426614174000", "uuid"))
        #expect(valid("/a~1b/c~0d/0", "json-pointer"))
        #expect(!valid("a/b", "json-pointer"))
        #expect(valid("0#", "relative-json-pointer"))
        #expect(valid("2/a", "relative-json-pointer"))
        #expect(!valid("02/a", "relative-json-pointer"))
        #expect(valid("^[a-z]+$", "regex"))
        #expect(!valid("(unclosed", "regex"))
    }
}
