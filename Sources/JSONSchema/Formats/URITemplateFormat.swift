/// RFC 6570 URI Template syntax (level 4):
///
/// ```
/// URI-Template  = *( literals / expression )
/// expression    = "{" [ operator ] variable-list "}"
/// variable-list = varspec *( "," varspec )
/// varspec       = varname [ ":" max-length / "*" ]     ; max-length = %x31-39 0*3DIGIT
/// varname       = varchar *( ["."] varchar )           ; varchar = ALPHA / DIGIT / "_" / pct-encoded
/// ```
///
/// Operators are the level 2 and 3 ones (`+ # . / ; ? &`); the reserved operators
/// (`= , ! @ |`) are refused, since a processor must report them as errors. Literals are any
/// code point except controls, space and `" % < > \ ^ ` { | }` (percent-encoded triplets are
/// allowed); the apostrophe is accepted, as the JSON Schema test suite expects.
enum URITemplateFormat {
    private static let forbiddenLiterals = Set("\"%<>\\^`{|} ".unicodeScalars.map(\.value))
    private static let operators = Set("+#./;?&".unicodeScalars.map(\.value))

    static func isURITemplate(_ value: String) -> Bool {
        let s = value.unicodeScalars.map(\.value)
        var i = 0
        func isPercentTriplet(_ at: Int) -> Bool {
            at + 2 < s.count && s[at] == 0x25 && s[at + 1] < 0x80 && s[at + 2] < 0x80
                && ASCII.isHexDigit(UInt8(s[at + 1])) && ASCII.isHexDigit(UInt8(s[at + 2]))
        }
        while i < s.count {
            let c = s[i]
            if c == 0x7B { // {
                i += 1
                if i < s.count, operators.contains(s[i]) { i += 1 }
                // variable-list
                while true {
                    // varname
                    var chars = 0
                    var lastWasDot = false
                    while i < s.count {
                        if isPercentTriplet(i) {
                            i += 3
                        } else if s[i] < 0x80, ASCII.isAlphaNumeric(UInt8(s[i])) || s[i] == 0x5F {
                            i += 1
                        } else if s[i] == 0x2E, chars > 0, !lastWasDot {
                            i += 1
                            lastWasDot = true
                            continue
                        } else {
                            break
                        }
                        chars += 1
                        lastWasDot = false
                    }
                    guard chars > 0, !lastWasDot, i < s.count else { return false }
                    // modifier
                    if s[i] == 0x2A { // *
                        i += 1
                    } else if s[i] == 0x3A { // :max-length
                        i += 1
                        let start = i
                        while i < s.count, s[i] < 0x80, ASCII.isDigit(UInt8(s[i])) { i += 1 }
                        let digits = i - start
                        guard digits >= 1, digits <= 4, s[start] != 0x30 else { return false }
                    }
                    guard i < s.count else { return false }
                    if s[i] == 0x2C { i += 1; continue }
                    guard s[i] == 0x7D else { return false }
                    i += 1
                    break
                }
            } else if c == 0x25 {
                guard isPercentTriplet(i) else { return false }
                i += 3
            } else {
                guard c > 0x20, c != 0x7F, !(0x80...0x9F).contains(c), !forbiddenLiterals.contains(c) else { return false }
                i += 1
            }
        }
        return true
    }
}
