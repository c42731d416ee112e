/// IDNA2008 validity of a U-label (RFC 5891 section 5.4, RFC 5892, RFC 5893).
///
/// The derived property of each code point is computed with RFC 5892's algorithm from the
/// Unicode data in the standard library (general category, NFKC case folding stability,
/// default-ignorable, white space, noncharacter), which reproduces the IDNA tables for the
/// Unicode version Swift carries. Scripts come from ``UnicodeScriptData``. Two inputs of the
/// contextual and Bidi rules are in neither, so they are approximated from code point ranges:
/// Joining_Type (Arabic,
/// Syriac, NKo and Mongolian letters are treated as dual-joining; marks and format characters
/// as transparent) and Bidi_Class (Hebrew-family blocks are R, Arabic-family blocks AL, with the
/// digit and separator classes listed explicitly).
enum IDNALabel {
    private enum Derived {
        case pvalid, contextJ, contextO, disallowed
    }

    enum BidiClass {
        case l, r, al, an, en, es, cs, et, on, bn, nsm
    }

    static func isValidULabel(_ label: [UInt32]) -> Bool {
        guard !label.isEmpty else { return false }
        // Hyphen rules (RFC 5891 4.2.3.1).
        if label.first == 0x2D || label.last == 0x2D { return false }
        if label.count >= 4, label[2] == 0x2D, label[3] == 0x2D { return false }
        // No leading combining mark (4.2.3.2).
        guard let first = Unicode.Scalar(label[0]) else { return false }
        switch first.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return false
        default: break
        }
        for (index, c) in label.enumerated() {
            switch derivedProperty(c) {
            case .pvalid: continue
            case .disallowed: return false
            case .contextJ: if !contextJAllows(label, index) { return false }
            case .contextO: if !contextOAllows(label, index) { return false }
            }
        }
        return true
    }

    // MARK: Derived property (RFC 5892 section 3)

    private static func derivedProperty(_ c: UInt32) -> Derived {
        switch c {
        case 0xDF, 0x3C2, 0x6FD, 0x6FE, 0xF0B, 0x3007: return .pvalid
        case 0xB7, 0x375, 0x5F3, 0x5F4, 0x30FB, 0x660...0x669, 0x6F0...0x6F9: return .contextO
        case 0x640, 0x7FA, 0x302E, 0x302F, 0x3031...0x3035, 0x303B: return .disallowed
        case 0x61...0x7A, 0x30...0x39, 0x2D: return .pvalid
        case 0x200C, 0x200D: return .contextJ
        default: break
        }
        guard let scalar = Unicode.Scalar(c) else { return .disallowed }
        let properties = scalar.properties
        let category = properties.generalCategory
        if category == .unassigned { return .disallowed }
        if properties.changesWhenNFKCCaseFolded { return .disallowed }
        if properties.isDefaultIgnorableCodePoint || properties.isWhitespace || properties.isNoncharacterCodePoint {
            return .disallowed
        }
        switch c {
        case 0x20D0...0x20FF, 0x1D100...0x1D1FF, 0x1D200...0x1D24F: return .disallowed // ignorable blocks
        case 0x1100...0x11FF, 0xA960...0xA97F, 0xD7B0...0xD7FF: return .disallowed // old Hangul jamo
        default: break
        }
        switch category {
        case .lowercaseLetter, .uppercaseLetter, .otherLetter, .decimalNumber, .modifierLetter,
             .nonspacingMark, .spacingMark:
            return .pvalid
        default:
            return .disallowed
        }
    }

    // MARK: Contextual rules (RFC 5892 appendix A)

    private static func isVirama(_ c: UInt32) -> Bool {
        Unicode.Scalar(c)?.properties.canonicalCombiningClass == .virama
    }

    private enum JoiningType { case dual, transparent, none }

    private static func joiningType(_ c: UInt32) -> JoiningType {
        guard let scalar = Unicode.Scalar(c) else { return .none }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return .transparent
        case .otherLetter, .modifierLetter:
            switch c {
            case 0x620...0x6FF, 0x700...0x74F, 0x750...0x77F, 0x7C0...0x7FF, 0x860...0x86F, 0x8A0...0x8FF,
                 0x1800...0x18AF, 0xA840...0xA87F, 0x10AC0...0x10AFF, 0x10B80...0x10BAF, 0x10D00...0x10D3F,
                 0x10F30...0x10F6F, 0x1E900...0x1E95F:
                return .dual
            default:
                return .none
            }
        default:
            return .none
        }
    }

    private static func contextJAllows(_ label: [UInt32], _ index: Int) -> Bool {
        if index > 0, isVirama(label[index - 1]) { return true }
        guard label[index] == 0x200C else { return false } // ZWJ needs a virama
        // ZWNJ: (L|D) T* ZWNJ T* (R|D)
        var before = index - 1
        while before >= 0, joiningType(label[before]) == .transparent { before -= 1 }
        var after = index + 1
        while after < label.count, joiningType(label[after]) == .transparent { after += 1 }
        return before >= 0 && after < label.count
            && joiningType(label[before]) == .dual && joiningType(label[after]) == .dual
    }

    private static let greek = RegexUnicodeProperties.scriptSet("Greek", extensions: false)!
    private static let hebrew = RegexUnicodeProperties.scriptSet("Hebrew", extensions: false)!
    private static let hiraganaKatakanaHan = ["Hiragana", "Katakana", "Han"]
        .map { RegexUnicodeProperties.scriptSet($0, extensions: false)! }
        .reduce(RegexCharSet()) { $0.union($1) }

    private static func isGreek(_ c: UInt32) -> Bool { greek.contains(c) }

    private static func isHebrew(_ c: UInt32) -> Bool { hebrew.contains(c) }

    private static func isHiraganaKatakanaOrHan(_ c: UInt32) -> Bool { hiraganaKatakanaHan.contains(c) }

    private static func contextOAllows(_ label: [UInt32], _ index: Int) -> Bool {
        let c = label[index]
        switch c {
        case 0xB7: // MIDDLE DOT: between two 'l'
            return index > 0 && index + 1 < label.count && label[index - 1] == 0x6C && label[index + 1] == 0x6C
        case 0x375: // GREEK LOWER NUMERAL SIGN: followed by Greek
            return index + 1 < label.count && isGreek(label[index + 1])
        case 0x5F3, 0x5F4: // HEBREW GERESH / GERSHAYIM: preceded by Hebrew
            return index > 0 && isHebrew(label[index - 1])
        case 0x30FB: // KATAKANA MIDDLE DOT: with Hiragana, Katakana or Han in the label
            return label.contains(where: isHiraganaKatakanaOrHan)
        case 0x660...0x669: // ARABIC-INDIC DIGITS: not mixed with extended ones
            return !label.contains { (0x6F0...0x6F9).contains($0) }
        case 0x6F0...0x6F9:
            return !label.contains { (0x660...0x669).contains($0) }
        default:
            return false
        }
    }

    // MARK: Bidi rule (RFC 5893 section 2)

    static func bidiClass(_ c: UInt32) -> BidiClass {
        switch c {
        case 0x30...0x39, 0x6F0...0x6F9, 0xB2, 0xB3, 0xB9, 0x2070, 0x2074...0x2079, 0x2080...0x2089, 0xFF10...0xFF19:
            return .en
        case 0x600...0x605, 0x660...0x669, 0x66B, 0x66C, 0x6DD, 0x8E2, 0x10E60...0x10E7E:
            return .an
        case 0x2B, 0x2D: return .es
        case 0x2C, 0x2E, 0x2F, 0x3A, 0xA0, 0x60C: return .cs
        case 0x23...0x25, 0xA2...0xA5, 0xB0, 0xB1: return .et
        case 0x200C, 0x200D: return .bn
        default: break
        }
        guard let scalar = Unicode.Scalar(c) else { return .on }
        let category = scalar.properties.generalCategory
        if category == .nonspacingMark || category == .enclosingMark { return .nsm }
        if category == .format || category == .control { return .bn }
        switch c {
        case 0x590...0x5FF, 0x7C0...0x85F, 0xFB1D...0xFB4F, 0x10800...0x10CFF, 0x10D40...0x10EBF, 0x10F00...0x10F2F,
             0x10F70...0x10FFF, 0x1E800...0x1EC6F, 0x1ECC0...0x1ECFF, 0x1ED50...0x1EDFF, 0x1EF00...0x1EFFF:
            return .r
        case 0x600...0x7BF, 0x860...0x8FF, 0xFB50...0xFDCF, 0xFDF0...0xFDFF, 0xFE70...0xFEFF, 0x10D00...0x10D3F,
             0x10EC0...0x10EFF, 0x10F30...0x10F6F, 0x1EC70...0x1ECBF, 0x1ED00...0x1ED4F, 0x1EE00...0x1EEFF:
            return .al
        default:
            break
        }
        switch category {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .spacingMark, .decimalNumber, .letterNumber:
            return .l
        default:
            return .on
        }
    }

    /// RFC 5893: when any label has a right-to-left character, every label must satisfy the
    /// Bidi rule.
    static func satisfiesBidiRule(_ labels: [[UInt32]]) -> Bool {
        let isBidiDomain = labels.contains { label in
            label.contains { [.r, .al, .an].contains(bidiClass($0)) }
        }
        guard isBidiDomain else { return true }
        for label in labels where !label.isEmpty {
            let classes = label.map(bidiClass)
            let last = classes.last { $0 != .nsm }
            switch classes[0] {
            case .r, .al:
                let allowed: Set<BidiClass> = [.r, .al, .an, .en, .es, .cs, .et, .on, .bn, .nsm]
                guard classes.allSatisfy(allowed.contains),
                      let last, [.r, .al, .en, .an].contains(last),
                      !(classes.contains(.en) && classes.contains(.an)) else { return false }
            case .l:
                let allowed: Set<BidiClass> = [.l, .en, .es, .cs, .et, .on, .bn, .nsm]
                guard classes.allSatisfy(allowed.contains), let last, [.l, .en].contains(last) else { return false }
            default:
                return false
            }
        }
        return true
    }
}
