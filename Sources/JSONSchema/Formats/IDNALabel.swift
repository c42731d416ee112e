/// IDNA2008 validity of a U-label (RFC 5891 section 5.4, RFC 5892, RFC 5893).
///
/// The derived property of each code point is computed with RFC 5892's algorithm from the
/// Unicode data in the standard library (general category, NFKC case folding stability,
/// default-ignorable, white space, noncharacter), which reproduces the IDNA tables for the
/// Unicode version Swift carries. Scripts come from ``UnicodeScriptData``; Bidi_Class and
/// Joining_Type, which the standard library lacks, from ``IDNAData``.
enum IDNALabel {
    private enum Derived {
        case pvalid, contextJ, contextO, disallowed
    }

    enum BidiClass: Sendable {
        case l, r, al, an, en, es, cs, et, on, bn, nsm
        /// B, S, WS and the explicit directional controls: never allowed in a label.
        case other
    }

    /// A lookup from code point to a value, over sorted disjoint ranges.
    private struct RangeTable<Value: Sendable>: Sendable {
        private var lows: [UInt32] = []
        private var highs: [UInt32] = []
        private var values: [Value] = []

        init(_ entries: [(name: String, ranges: String)], _ value: (String) -> Value) {
            var all: [(ClosedRange<UInt32>, Value)] = []
            for entry in entries {
                let v = value(entry.name)
                for item in entry.ranges.split(separator: " ") {
                    let bounds = item.split(separator: "-").map { UInt32($0, radix: 16)! }
                    all.append((bounds[0]...bounds[bounds.count - 1], v))
                }
            }
            all.sort { $0.0.lowerBound < $1.0.lowerBound }
            lows = all.map(\.0.lowerBound)
            highs = all.map(\.0.upperBound)
            values = all.map(\.1)
        }

        func value(_ c: UInt32) -> Value? {
            var lo = 0
            var hi = lows.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if c < lows[mid] { hi = mid } else if c > highs[mid] { lo = mid + 1 } else { return values[mid] }
            }
            return nil
        }
    }

    private static let bidiTable = RangeTable(IDNAData.bidiClasses) { name -> BidiClass in
        switch name {
        case "R": return .r
        case "AL": return .al
        case "AN": return .an
        case "EN": return .en
        case "ES": return .es
        case "CS": return .cs
        case "ET": return .et
        case "ON": return .on
        case "BN": return .bn
        case "NSM": return .nsm
        default: return .other
        }
    }

    private static let joiningTable = RangeTable(IDNAData.joiningTypes) { name -> JoiningType in
        switch name {
        case "D": return .dual
        case "R": return .right
        case "L": return .left
        case "C": return .joinCausing
        default: return .transparent
        }
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

    private enum JoiningType: Sendable { case dual, right, left, joinCausing, transparent, nonJoining }

    private static func joiningType(_ c: UInt32) -> JoiningType { joiningTable.value(c) ?? .nonJoining }

    private static func contextJAllows(_ label: [UInt32], _ index: Int) -> Bool {
        if index > 0, isVirama(label[index - 1]) { return true }
        guard label[index] == 0x200C else { return false } // ZWJ needs a virama
        // ZWNJ: (L|D) T* ZWNJ T* (R|D)
        var before = index - 1
        while before >= 0, joiningType(label[before]) == .transparent { before -= 1 }
        var after = index + 1
        while after < label.count, joiningType(label[after]) == .transparent { after += 1 }
        guard before >= 0, after < label.count else { return false }
        let left = joiningType(label[before])
        let right = joiningType(label[after])
        return (left == .left || left == .dual) && (right == .right || right == .dual)
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

    static func bidiClass(_ c: UInt32) -> BidiClass { bidiTable.value(c) ?? .l }

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
