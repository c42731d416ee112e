import Foundation

/// Resolves the names inside `\p{...}` / `\P{...}` to code point sets, from the Unicode data
/// the Swift standard library carries (`Unicode.Scalar.Properties`) and, for scripts, from
/// ``UnicodeScriptData`` (same Unicode version).
///
/// Supported, with ECMA-262's case-sensitive names:
/// - General_Category values, long or short, alone or as `General_Category=` / `gc=`
///   (`L`, `Letter`, `Lu`, `Uppercase_Letter`, `Nd`, `Decimal_Number`, `P`, `S`, `Z`, `LC`...);
/// - binary properties the standard library exposes (`Alphabetic`, `White_Space`, `ASCII`,
///   `Any`, `Assigned`, `Emoji`, `ID_Start`...);
/// - `digit`, accepted as a synonym of `Nd` because the JSON Schema test suite uses it;
/// - Script and Script_Extensions (`Script=Greek`, `sc=Grek`, `scx=Latn`...), which the standard
///   library does not expose, from the table in ``UnicodeScriptData``.
enum RegexUnicodeProperties {
    enum Failure: Error {
        case unknown(String)
    }

    static func set(named expression: String) throws(Failure) -> RegexCharSet {
        if let equals = expression.firstIndex(of: "=") {
            let name = String(expression[..<equals])
            let value = String(expression[expression.index(after: equals)...])
            switch name {
            case "General_Category", "gc":
                guard let set = generalCategorySet(value) else { throw .unknown(expression) }
                return set
            case "Script", "sc":
                guard let set = scriptSet(value, extensions: false) else { throw .unknown(expression) }
                return set
            case "Script_Extensions", "scx":
                guard let set = scriptSet(value, extensions: true) else { throw .unknown(expression) }
                return set
            default:
                throw .unknown(expression)
            }
        }
        if let set = generalCategorySet(expression) { return set }
        if expression == "digit" { return generalCategorySet("Nd")! }
        if let set = binaryPropertySet(expression) { return set }
        throw .unknown(expression)
    }

    // MARK: General_Category

    /// One entry per general category: ECMA short name, long name, Swift value.
    private static let categories: [(short: String, long: String, value: Unicode.GeneralCategory)] = [
        ("Lu", "Uppercase_Letter", .uppercaseLetter), ("Ll", "Lowercase_Letter", .lowercaseLetter),
        ("Lt", "Titlecase_Letter", .titlecaseLetter), ("Lm", "Modifier_Letter", .modifierLetter),
        ("Lo", "Other_Letter", .otherLetter), ("Mn", "Nonspacing_Mark", .nonspacingMark),
        ("Mc", "Spacing_Mark", .spacingMark), ("Me", "Enclosing_Mark", .enclosingMark),
        ("Nd", "Decimal_Number", .decimalNumber), ("Nl", "Letter_Number", .letterNumber),
        ("No", "Other_Number", .otherNumber), ("Pc", "Connector_Punctuation", .connectorPunctuation),
        ("Pd", "Dash_Punctuation", .dashPunctuation), ("Ps", "Open_Punctuation", .openPunctuation),
        ("Pe", "Close_Punctuation", .closePunctuation), ("Pi", "Initial_Punctuation", .initialPunctuation),
        ("Pf", "Final_Punctuation", .finalPunctuation), ("Po", "Other_Punctuation", .otherPunctuation),
        ("Sm", "Math_Symbol", .mathSymbol), ("Sc", "Currency_Symbol", .currencySymbol),
        ("Sk", "Modifier_Symbol", .modifierSymbol), ("So", "Other_Symbol", .otherSymbol),
        ("Zs", "Space_Separator", .spaceSeparator), ("Zl", "Line_Separator", .lineSeparator),
        ("Zp", "Paragraph_Separator", .paragraphSeparator), ("Cc", "Control", .control),
        ("Cf", "Format", .format), ("Cs", "Surrogate", .surrogate),
        ("Co", "Private_Use", .privateUse), ("Cn", "Unassigned", .unassigned),
    ]

    /// Groups of categories, by their first letter (and `LC`).
    private static let groups: [(short: String, long: String, members: [String])] = [
        ("L", "Letter", ["Lu", "Ll", "Lt", "Lm", "Lo"]),
        ("LC", "Cased_Letter", ["Lu", "Ll", "Lt"]),
        ("M", "Mark", ["Mn", "Mc", "Me"]),
        ("N", "Number", ["Nd", "Nl", "No"]),
        ("P", "Punctuation", ["Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po"]),
        ("S", "Symbol", ["Sm", "Sc", "Sk", "So"]),
        ("Z", "Separator", ["Zs", "Zl", "Zp"]),
        ("C", "Other", ["Cc", "Cf", "Cs", "Co", "Cn"]),
    ]

    /// Ranges of every general category, computed once per process in one pass over all
    /// code points (surrogates, which Swift strings never contain, are `Cs`).
    private static let categoryRanges: [Unicode.GeneralCategory: [ClosedRange<UInt32>]] = {
        var result: [Unicode.GeneralCategory: [ClosedRange<UInt32>]] = [:]
        var current: Unicode.GeneralCategory? = nil
        var start: UInt32 = 0
        func close(_ end: UInt32) {
            if let category = current { result[category, default: []].append(start...end) }
        }
        var c: UInt32 = 0
        while c <= RegexCharSet.maxCodePoint {
            if c == 0xD800 {
                close(c - 1)
                result[.surrogate, default: []].append(0xD800...0xDFFF)
                current = nil
                c = 0xE000
                continue
            }
            let category = Unicode.Scalar(c)!.properties.generalCategory
            if category != current {
                if c > 0 { close(c - 1) }
                current = category
                start = c
            }
            c += 1
        }
        close(RegexCharSet.maxCodePoint)
        return result
    }()

    private static func generalCategorySet(_ name: String) -> RegexCharSet? {
        var members: [String] = []
        if let group = groups.first(where: { $0.short == name || $0.long == name }) {
            members = group.members
        } else if let category = categories.first(where: { $0.short == name || $0.long == name }) {
            members = [category.short]
        } else {
            return nil
        }
        var ranges: [ClosedRange<UInt32>] = []
        for member in members {
            let value = categories.first { $0.short == member }!.value
            ranges += categoryRanges[value] ?? []
        }
        return RegexCharSet(ranges: ranges)
    }

    // MARK: Script and Script_Extensions

    private static func parseRanges(_ text: String) -> [ClosedRange<UInt32>] {
        text.split(separator: " ").map { item in
            let bounds = item.split(separator: "-").map { UInt32($0, radix: 16)! }
            return bounds[0]...bounds[bounds.count - 1]
        }
    }

    /// The code points of a script, by any of its names; with `extensions`, those whose
    /// Script_Extensions include it. `Unknown` (`Zzzz`) is every code point of no script.
    static func scriptSet(_ name: String, extensions: Bool) -> RegexCharSet? {
        if name == "Unknown" || name == "Zzzz" {
            let all = UnicodeScriptData.scripts.flatMap { parseRanges($0.ranges) }
            return RegexCharSet(ranges: all).inverted
        }
        guard let script = UnicodeScriptData.scripts.first(where: { $0.names.contains(name) }) else { return nil }
        let base = RegexCharSet(ranges: parseRanges(script.ranges))
        guard extensions else { return base }
        // (base − removed) ∪ added, with A − B written as ¬(¬A ∪ B).
        let removed = RegexCharSet(ranges: parseRanges(script.extensionsRemoved))
        let kept = base.inverted.union(removed).inverted
        return kept.union(RegexCharSet(ranges: parseRanges(script.extensionsAdded)))
    }

    // MARK: Binary properties

    /// Binary properties: every accepted name (long name first), and the property.
    private static let binaryProperties: [(names: [String], has: @Sendable (Unicode.Scalar.Properties) -> Bool)] = [
        (["Alphabetic", "Alpha"], { $0.isAlphabetic }),
        (["White_Space", "space"], { $0.isWhitespace }),
        (["Uppercase", "Upper"], { $0.isUppercase }),
        (["Lowercase", "Lower"], { $0.isLowercase }),
        (["Math"], { $0.isMath }),
        (["Hex_Digit", "Hex"], { $0.isHexDigit }),
        (["ASCII_Hex_Digit", "AHex"], { $0.isASCIIHexDigit }),
        (["Dash"], { $0.isDash }),
        (["Diacritic", "Dia"], { $0.isDiacritic }),
        (["Extender", "Ext"], { $0.isExtender }),
        (["Ideographic", "Ideo"], { $0.isIdeographic }),
        (["ID_Start", "IDS"], { $0.isIDStart }),
        (["ID_Continue", "IDC"], { $0.isIDContinue }),
        (["XID_Start", "XIDS"], { $0.isXIDStart }),
        (["XID_Continue", "XIDC"], { $0.isXIDContinue }),
        (["Join_Control", "Join_C"], { $0.isJoinControl }),
        (["Noncharacter_Code_Point", "NChar"], { $0.isNoncharacterCodePoint }),
        (["Default_Ignorable_Code_Point", "DI"], { $0.isDefaultIgnorableCodePoint }),
        (["Pattern_Syntax", "Pat_Syn"], { $0.isPatternSyntax }),
        (["Pattern_White_Space", "Pat_WS"], { $0.isPatternWhitespace }),
        (["Quotation_Mark", "QMark"], { $0.isQuotationMark }),
        (["Radical"], { $0.isRadical }),
        (["Soft_Dotted", "SD"], { $0.isSoftDotted }),
        (["Terminal_Punctuation", "Term"], { $0.isTerminalPunctuation }),
        (["Sentence_Terminal", "STerm"], { $0.isSentenceTerminal }),
        (["Unified_Ideograph", "UIdeo"], { $0.isUnifiedIdeograph }),
        (["Variation_Selector", "VS"], { $0.isVariationSelector }),
        (["Bidi_Control", "Bidi_C"], { $0.isBidiControl }),
        (["Bidi_Mirrored", "Bidi_M"], { $0.isBidiMirrored }),
        (["Cased"], { $0.isCased }),
        (["Case_Ignorable", "CI"], { $0.isCaseIgnorable }),
        (["Deprecated", "Dep"], { $0.isDeprecated }),
        (["Grapheme_Base", "Gr_Base"], { $0.isGraphemeBase }),
        (["Grapheme_Extend", "Gr_Ext"], { $0.isGraphemeExtend }),
        (["Logical_Order_Exception", "LOE"], { $0.isLogicalOrderException }),
        (["IDS_Binary_Operator", "IDSB"], { $0.isIDSBinaryOperator }),
        (["IDS_Trinary_Operator", "IDST"], { $0.isIDSTrinaryOperator }),
        (["Full_Composition_Exclusion", "Comp_Ex"], { $0.isFullCompositionExclusion }),
        (["Changes_When_Lowercased", "CWL"], { $0.changesWhenLowercased }),
        (["Changes_When_Uppercased", "CWU"], { $0.changesWhenUppercased }),
        (["Changes_When_Titlecased", "CWT"], { $0.changesWhenTitlecased }),
        (["Changes_When_Casefolded", "CWCF"], { $0.changesWhenCaseFolded }),
        (["Changes_When_Casemapped", "CWCM"], { $0.changesWhenCaseMapped }),
        (["Changes_When_NFKC_Casefolded", "CWKCF"], { $0.changesWhenNFKCCaseFolded }),
        (["Emoji"], { $0.isEmoji }),
        (["Emoji_Presentation", "EPres"], { $0.isEmojiPresentation }),
        (["Emoji_Modifier", "EMod"], { $0.isEmojiModifier }),
        (["Emoji_Modifier_Base", "EBase"], { $0.isEmojiModifierBase }),
    ]

    /// Binary property sets computed so far: each costs a pass over every code point, so it is
    /// computed once per process (compilation only; matching never takes the lock).
    private static let binaryCache = BinaryPropertyCache()

    private final class BinaryPropertyCache: @unchecked Sendable {
        private let lock = NSLock()
        private var sets: [String: RegexCharSet] = [:]

        func set(_ name: String, _ compute: () -> RegexCharSet?) -> RegexCharSet? {
            lock.lock()
            defer { lock.unlock() }
            if let cached = sets[name] { return cached }
            let set = compute()
            if let set { sets[name] = set }
            return set
        }
    }

    private static func binaryPropertySet(_ name: String) -> RegexCharSet? {
        switch name {
        case "Any": return .all
        case "ASCII": return RegexCharSet(ranges: [0...0x7F])
        case "Assigned": return generalCategorySet("Cn")!.inverted
        default: break
        }
        guard let property = binaryProperties.first(where: { $0.names.contains(name) }) else { return nil }
        return binaryCache.set(property.names[0]) { scan(property.has) }
    }

    /// The ranges of code points whose properties satisfy `predicate`.
    private static func scan(_ predicate: (Unicode.Scalar.Properties) -> Bool) -> RegexCharSet {
        var ranges: [ClosedRange<UInt32>] = []
        var start: UInt32? = nil
        var c: UInt32 = 0
        while c <= RegexCharSet.maxCodePoint {
            if c == 0xD800 {
                if let s = start { ranges.append(s...(c - 1)); start = nil }
                c = 0xE000
                continue
            }
            if predicate(Unicode.Scalar(c)!.properties) {
                if start == nil { start = c }
            } else if let s = start {
                ranges.append(s...(c - 1))
                start = nil
            }
            c += 1
        }
        if let s = start { ranges.append(s...RegexCharSet.maxCodePoint) }
        return RegexCharSet(ranges: ranges)
    }
}
