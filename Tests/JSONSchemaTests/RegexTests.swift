import Foundation
import Testing
@testable import JSONSchema

@Suite("ECMARegex")
struct RegexTests {
    private func regex(_ pattern: String) throws -> ECMARegex {
        try ECMARegex(pattern)
    }

    private func syntaxError(_ pattern: String) -> RegexSyntaxError? {
        do {
            _ = try ECMARegex(pattern)
            return nil
        } catch {
            return error
        }
    }

    // MARK: Matching semantics

    @Test func literalsSearchAnywhere() throws {
        let r = try regex("bc")
        #expect(r.matches("abcd"))
        #expect(!r.matches("acbd"))
        #expect(try regex("").matches(""))
        #expect(try regex("").matches("anything"))
    }

    @Test func anchorsMatchOnlyAtStringEdges() throws {
        let r = try regex("^abc$")
        #expect(r.matches("abc"))
        #expect(!r.matches("abc\n"))
        #expect(!r.matches("\nabc"))
        #expect(!r.matches("xabc"))
        #expect(try regex("a$|^b").matches("xa"))
        #expect(try regex("a$|^b").matches("bx"))
        #expect(!(try regex("a$|^b").matches("xbx")))
        #expect(try regex("$").matches("abc"))
        #expect(try regex("^$").matches(""))
        #expect(!(try regex("^$").matches("a")))
    }

    @Test func dotExcludesLineTerminatorsOnly() throws {
        let r = try regex("^.$")
        #expect(r.matches("a"))
        #expect(r.matches("é"))
        #expect(r.matches("😀"))
        for terminator in ["\n", "\r", "\u{2028}", "\u{2029}"] {
            #expect(!r.matches(terminator))
        }
        #expect(r.matches("\u{0B}"))
    }

    @Test func characterClassesAndRanges() throws {
        let r = try regex("^[a-cx-z0-9_-]+$")
        #expect(r.matches("abc-xyz_09"))
        #expect(!r.matches("abcd"))
        let negated = try regex("^[^a-c]$")
        #expect(negated.matches("d"))
        #expect(negated.matches("Ω"))
        #expect(!negated.matches("b"))
        #expect(try regex("^[\\d.]+$").matches("1.25"))
        #expect(try regex("^[\\]\\[]$").matches("]"))
        #expect(try regex("^[[]$").matches("["))
        #expect(try regex("^[\\b]$").matches("\u{08}"))
        #expect(try regex("^[\\-]$").matches("-"))
        #expect(try regex("^[😀-😂]$").matches("😁"))
        #expect(!(try regex("[]").matches("a")))
        #expect(try regex("^[^]$").matches("\n"))
    }

    @Test func classEscapesFollowECMA262() throws {
        #expect(try regex("^\\d$").matches("7"))
        #expect(!(try regex("^\\d$").matches("߀")))
        #expect(try regex("^\\D$").matches("߀"))
        #expect(try regex("^\\w+$").matches("Az_09"))
        #expect(!(try regex("^\\w$").matches("é")))
        #expect(try regex("^\\W$").matches("é"))
        for space in ["\t", "\n", "\u{0B}", "\u{0C}", "\r", " ", "\u{A0}", "\u{1680}", "\u{2000}", "\u{200A}",
                      "\u{2028}", "\u{2029}", "\u{202F}", "\u{205F}", "\u{3000}", "\u{FEFF}"] {
            #expect(try regex("^\\s$").matches(space), "\\s should match U+\(String(space.unicodeScalars.first!.value, radix: 16))")
            #expect(!(try regex("^\\S$").matches(space)))
        }
        #expect(!(try regex("^\\s$").matches("\u{200B}")))
    }

    @Test func characterEscapes() throws {
        #expect(try regex("^\\t\\n\\v\\f\\r$").matches("\t\n\u{0B}\u{0C}\r"))
        #expect(try regex("^\\0$").matches("\u{0}"))
        #expect(try regex("^\\x41\\u0042\\u{43}\\u{1F600}$").matches("ABC😀"))
        #expect(try regex("^\\uD83D\\uDE00$").matches("😀"))
        #expect(try regex("^\\cC\\cc$").matches("\u{03}\u{03}"))
        #expect(try regex("^\\/\\^\\$\\\\\\.\\*\\+\\?\\(\\)\\[\\]\\{\\}\\|$").matches("/^$\\.*+?()[]{}|"))
    }

    @Test func wordBoundaries() throws {
        let r = try regex("\\bcat\\b")
        #expect(r.matches("a cat sat"))
        #expect(r.matches("cat"))
        #expect(!r.matches("concatenate"))
        let inner = try regex("\\Bcat\\B")
        #expect(inner.matches("concatenate"))
        #expect(!inner.matches("a cat"))
        // é is not a word character for \b.
        #expect(!(try regex("\\bé").matches("é")))
        #expect(try regex("x\\b").matches("xé"))
    }

    @Test func unicodePropertyEscapes() throws {
        #expect(try regex("^\\p{L}+$").matches("Ωmega"))
        #expect(try regex("^\\p{Letter}+$").matches("école"))
        #expect(!(try regex("^\\p{Lu}$").matches("a")))
        #expect(try regex("^\\p{Lu}$").matches("É"))
        #expect(try regex("^\\p{Uppercase_Letter}$").matches("Σ"))
        #expect(try regex("^\\p{Nd}+$").matches("৪২"))
        #expect(try regex("^\\p{N}+$").matches("Ⅻ"))
        #expect(try regex("^\\p{P}$").matches("¿"))
        #expect(try regex("^\\p{S}$").matches("€"))
        #expect(try regex("^\\p{Z}$").matches("\u{3000}"))
        #expect(try regex("^\\p{gc=Lu}$").matches("A"))
        #expect(try regex("^\\p{General_Category=Decimal_Number}$").matches("5"))
        #expect(try regex("^\\P{L}$").matches("1"))
        #expect(!(try regex("^\\P{L}$").matches("a")))
        #expect(try regex("^[\\p{L}\\p{Nd}_]+$").matches("Ünïcödé_42"))
        #expect(try regex("^\\p{Alphabetic}$").matches("ж"))
        #expect(try regex("^\\p{White_Space}$").matches("\u{2003}"))
        #expect(try regex("^\\p{ASCII}+$").matches("plain"))
        #expect(!(try regex("^\\p{ASCII}$").matches("é")))
        #expect(try regex("^\\p{Any}$").matches("😀"))
    }

    @Test func scriptPropertyEscapes() throws {
        #expect(try regex("^\\p{Script=Greek}+$").matches("αβγ"))
        #expect(!(try regex("^\\p{Script=Greek}+$").matches("abc")))
        #expect(try regex("^\\p{sc=Latn}+$").matches("École"))
        #expect(try regex("^\\p{Script=Cyrillic}+$").matches("Привет"))
        #expect(try regex("^\\p{sc=Han}+$").matches("漢字"))
        #expect(try regex("^\\P{sc=Han}$").matches("a"))
        // U+30FC KATAKANA-HIRAGANA PROLONGED SOUND MARK is Common, used with both scripts.
        #expect(!(try regex("^\\p{sc=Hiragana}$").matches("ー")))
        #expect(try regex("^\\p{scx=Hiragana}$").matches("ー"))
        #expect(try regex("^\\p{Script_Extensions=Katakana}$").matches("ー"))
        #expect(try regex("^\\p{scx=Greek}$").matches("α"))
        #expect(try regex("^\\p{sc=Unknown}$").matches("\u{378}"))
    }

    @Test func groupsAndAlternation() throws {
        let r = try regex("^(?:ab|cd)+(e|f)?$")
        #expect(r.matches("abcdab"))
        #expect(r.matches("cdf"))
        #expect(!r.matches("abc"))
        #expect(try regex("^(?<year>\\d{4})-(?<month>\\d{2})$").matches("2024-05"))
    }

    @Test func quantifiers() throws {
        #expect(try regex("^a{3}$").matches("aaa"))
        #expect(!(try regex("^a{3}$").matches("aa")))
        #expect(try regex("^a{2,}$").matches("aaaaa"))
        #expect(!(try regex("^a{2,}$").matches("a")))
        #expect(try regex("^a{1,2}b$").matches("aab"))
        #expect(!(try regex("^a{1,2}b$").matches("aaab")))
        #expect(try regex("^a*?b+?c??$").matches("aabbc"))
        #expect(try regex("^(?:a|b){0,3}$").matches(""))
        #expect(try regex("^x{0}$").matches(""))
        #expect(try regex("^(?:)*$").matches(""))
        #expect(try regex("^(a*)*b$").matches("aaab"))
    }

    @Test func backreferences() throws {
        let r = try regex("^(\\w+) \\1$")
        #expect(r.matches("hey hey"))
        #expect(!r.matches("hey you"))
        let named = try regex("^(?<q>['\"]).*\\k<q>$")
        #expect(named.matches("'quoted'"))
        #expect(!named.matches("'mixed\""))
        // A group that did not take part matches the empty string.
        #expect(try regex("^(?:(a)|b)\\1$").matches("b"))
        // A reference before its group matches the empty string.
        #expect(try regex("^\\1(a)$").matches("a"))
        // Captures are reset at each iteration.
        #expect(try regex("^(?:(a)|b)+\\1$").matches("ab"))
        #expect(try regex("^(a)(?:b\\1)+$").matches("ababa"))
    }

    @Test func lookahead() throws {
        let r = try regex("^(?=.*\\d)(?=.*[a-z])\\w{6,}$")
        #expect(r.matches("abc123"))
        #expect(!r.matches("abcdef"))
        #expect(!r.matches("123456"))
        let negative = try regex("^(?!admin$)[a-z]+$")
        #expect(negative.matches("alice"))
        #expect(!negative.matches("admin"))
        #expect(negative.matches("administrator"))
        // Repeating something that matches empty next to a lookaround must still terminate.
        #expect(try regex(".?(\\b(?<!b*(?=é)))+").matches("cébcab"))
        #expect(try regex("^(?:(?=a)|b)*a").matches("bba"))
        // Captures from a positive lookahead are visible afterwards.
        #expect(try regex("^(?=(a+))a*b\\1$").matches("aaabaaa"))
        #expect(!(try regex("^(?=(a+))a*b\\1$").matches("aaaba")))
    }

    @Test func lookbehind() throws {
        let r = try regex("(?<=\\$)\\d+")
        #expect(r.matches("cost: $42"))
        #expect(!r.matches("cost: 42"))
        let negative = try regex("(?<!\\$)\\b\\d+")
        #expect(negative.matches("42"))
        #expect(!negative.matches("$42"))
        #expect(try regex("(?<=a+)b").matches("aab"))
        #expect(try regex("(?<=^é)x").matches("éx"))
        // Lookbehind reads right to left: the reference must come before its group.
        #expect(try regex("(?<=\\1(\\d))x").matches("33x"))
        #expect(!(try regex("(?<=\\1(\\d))x").matches("34x")))
        #expect(try regex("(?<=(\\d)\\1)x").matches("34x"))
    }

    @Test func matchesNonASCIIAndLongStrings() throws {
        let r = try regex("^[^\\u0000-\\u007F]+$")
        #expect(r.matches("日本語"))
        #expect(!r.matches("日本x"))
        let long = String(repeating: "ab", count: 100_000) + "c"
        let results = try [regex("c$").matches(long), regex("(?=c)c$").matches(long)]
        #expect(results == [true, true])
    }

    @Test func benchmarkPattern() throws {
        let r = try regex("^[a-z0-9./_-]+(:[A-Za-z0-9._-]+)?$")
        #expect(r.matches("registry.local/team3/app-5:v1.2"))
        #expect(r.matches("nginx"))
        #expect(!r.matches("Registry/app"))
        #expect(!r.matches("app:v1:2"))
        #expect(!r.matches(""))
    }

    // MARK: Syntax errors

    @Test(arguments: [
        ("(abc", "unterminated group"),
        ("abc)", "unmatched ')'"),
        ("*a", "nothing to repeat"),
        ("a**", "nothing to repeat"),
        ("{1}", "nothing to repeat"),
        ("a{", "incomplete quantifier"),
        ("a}", "lone '}'"),
        ("a]", "lone ']'"),
        ("\\a", "invalid escape '\\a'"),
        ("\\e", "invalid escape '\\e'"),
        ("[z-a]", "invalid range [z-a]"),
        ("[\\d-z]", "invalid range"),
        ("[abc", "unterminated character class"),
        ("a{3,2}", "numbers out of order"),
        ("\\1", "invalid backreference"),
        ("(a)\\2", "invalid backreference"),
        ("\\k<x>(?<y>a)", "invalid named backreference"),
        ("(?<n>a)(?<n>b)", "duplicate group name"),
        ("(?P<name>x)", "invalid group '(?P'"),
        ("(?#comment)a", "invalid group '(?#'"),
        ("(?i)abc", "inline modifiers"),
        ("(?=a)*", "nothing to repeat"),
        ("(?<=a)?", "nothing to repeat"),
        ("^*", "nothing to repeat"),
        ("\\c1", "invalid control escape"),
        ("\\x4", "invalid escape '\\x'"),
        ("\\u12", "invalid escape '\\u'"),
        ("\\u{110000}", "above 10FFFF"),
        ("\\p{Nope}", "invalid property name"),
        ("\\p{Script=Klingon}", "invalid property name"),
        ("\\p{greek}", "invalid property name"),
        ("\\00", "octal escapes are not allowed"),
        ("abc\\", "at end of pattern"),
        ("(?:a{1000}){1000}", "pattern too large"),
    ])
    func rejectsInvalidPatterns(pattern: String, message: String) {
        let error = syntaxError(pattern)
        #expect(error != nil, "expected /\(pattern)/ to be rejected")
        #expect(error?.message.contains(message) == true, "got: \(error?.message ?? "no error")")
        #expect(error?.pattern == pattern)
    }

    @Test func errorsReportThePosition() {
        #expect(syntaxError("ab(cd")?.offset == 2)
        #expect(syntaxError("abc\\a")?.offset == 3)
        #expect(syntaxError("[a-z][z-a]")?.offset == 6)
        #expect(syntaxError("(?<n>a)x)")?.offset == 8)
        #expect(syntaxError("abc\\a")?.description == "invalid regular expression /abc\\a/: invalid escape '\\a' at position 3")
    }

    // MARK: Hostile patterns and inputs

    /// Runs `body` and checks it takes less than `limit` seconds.
    private func expectFast(_ limit: Double, _ what: Comment, _ body: () -> Void) {
        let elapsed = ContinuousClock().measure(body)
        #expect(elapsed < .milliseconds(Int64(limit * 1000)), "\(what) took \(elapsed)")
    }

    @Test func nestedQuantifiersRunInLinearTime() throws {
        let input = String(repeating: "a", count: 30) + "!"
        let patterns = try ["^(a+)+$", "^(a|a)*$", "^(a|aa)+$", "^(\\w+\\s?)*$"].map(regex)
        let xs = try regex("(x+x+)+y")
        expectFast(0.5, "nested quantifiers") {
            for r in patterns { #expect(!r.matches(input), "/\(r.pattern)/") }
            let xs5000 = String(repeating: "x", count: 5_000)
            let result = xs.matches(xs5000)
            #expect(!result)
        }
    }

    @Test func exponentialBacktrackingIsCutOff() throws {
        // A backreference forces the backtracking matcher; the step budget stops it.
        let r = try regex("^(a+)+\\1b$")
        let input = String(repeating: "a", count: 40)
        expectFast(5, "budgeted backtracking") {
            #expect(!r.matches(input))
        }
    }

    @Test func largeInputs() throws {
        // 50 MB through the automaton; 5 MB through the other two matchers, which are slower
        // per byte (and much slower in debug builds) but still linear or budgeted.
        let big = String(repeating: "abcdefghij", count: 5_000_000)
        let automaton = try ["^[a-j]+$", "k", "j$"].map(regex)
        // (Results are computed first: `#expect` would print the 50 MB operand on failure.)
        expectFast(30, "50 MB input, automaton") {
            let results = automaton.map { $0.matches(big) }
            #expect(results == [true, false, true])
        }
        let medium = String(repeating: "abcdefghij", count: 500_000)
        let boundary = try regex("\\bk")
        let lookahead = try regex("(?=j)j$")
        expectFast(30, "5 MB input, thread simulation and backtracking") {
            let results = [boundary.matches(medium), lookahead.matches(medium)]
            #expect(results == [false, true])
        }
    }

    @Test func manyAlternatives() throws {
        let words = (0..<10_000).map { "word\($0)x" }
        let r = try regex("^(?:" + words.joined(separator: "|") + ")$")
        expectFast(5, "10,000 alternatives") {
            #expect(r.matches("word9999x"))
            #expect(r.matches("word0x"))
            #expect(!r.matches("word10000x"))
            let long = String(repeating: "word1", count: 2_000)
            let result = r.matches(long)
            #expect(!result)
        }
    }

    @Test func deepNestingIsRejectedNotOverflowed() {
        let deep = String(repeating: "(", count: 10_000) + "a" + String(repeating: ")", count: 10_000)
        #expect(syntaxError(deep)?.message.contains("nested too deeply") == true)
        let deepLookaround = String(repeating: "(?=", count: 10_000) + "a" + String(repeating: ")", count: 10_000)
        #expect(syntaxError(deepLookaround)?.message.contains("nested too deeply") == true)
        let allowed = String(repeating: "(?:", count: 100) + "a" + String(repeating: ")", count: 100)
        #expect(syntaxError(allowed) == nil)
    }
}
