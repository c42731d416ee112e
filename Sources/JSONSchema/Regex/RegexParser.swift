/// Parses an ECMA-262 pattern with the rules of Unicode mode (the `u` flag), which JSON Schema
/// prescribes: identity escapes only for syntax characters, no octal escapes, no lone `{`, `}`
/// or `]`, backreferences must name existing groups, lookaheads cannot be repeated.
///
/// Recursion follows group nesting only, which is limited to ``maxNesting`` levels.
struct RegexParser {
    static let maxNesting = 128

    struct Result {
        var node: RegexNode
        var captureCount: Int
        var hasBackreferences: Bool
        var hasLookaround: Bool
    }

    private let pattern: String
    private let source: [UInt32]
    private var index = 0
    private var captureCount = 0
    private var groupNames: [String: Int] = [:]
    private var depth = 0
    /// Numbered backreferences and their offsets, checked against the group count at the end.
    private var numberedReferences: [(number: Int, offset: Int)] = []
    /// Named backreferences, resolved at the end (a group may follow its reference).
    private var namedReferences: [(name: String, offset: Int, slot: Int)] = []
    private var hasLookaround = false

    init(_ pattern: String) {
        self.pattern = pattern
        source = pattern.unicodeScalars.map(\.value)
    }

    static func parse(_ pattern: String) throws(RegexSyntaxError) -> Result {
        var parser = RegexParser(pattern)
        return try parser.parse()
    }

    private mutating func parse() throws(RegexSyntaxError) -> Result {
        var node = try parseDisjunction()
        if index < source.count {
            // Only an unmatched ')' stops a top-level disjunction early.
            throw error("unmatched ')'", at: index)
        }
        for reference in numberedReferences where reference.number > captureCount {
            throw error("invalid backreference \\\(reference.number): there are only \(captureCount) groups", at: reference.offset)
        }
        if !namedReferences.isEmpty {
            var resolved: [Int: Int] = [:]
            for reference in namedReferences {
                guard let number = groupNames[reference.name] else {
                    throw error("invalid named backreference \\k<\(reference.name)>: no group with that name", at: reference.offset)
                }
                resolved[reference.slot] = number
            }
            node = Self.resolve(node, resolved)
        }
        let hasReferences = !numberedReferences.isEmpty || !namedReferences.isEmpty
        return Result(node: node, captureCount: captureCount, hasBackreferences: hasReferences, hasLookaround: hasLookaround)
    }

    /// Replaces the placeholder numbers of named backreferences (negative) with group numbers.
    private static func resolve(_ node: RegexNode, _ slots: [Int: Int]) -> RegexNode {
        switch node {
        case .backreference(let n) where n < 0: return .backreference(slots[n]!)
        case .concatenation(let nodes): return .concatenation(nodes.map { resolve($0, slots) })
        case .alternation(let nodes): return .alternation(nodes.map { resolve($0, slots) })
        case .group(let inner, let capture): return .group(resolve(inner, slots), capture: capture)
        case .repetition(let inner, let min, let max, let greedy, let offset):
            return .repetition(resolve(inner, slots), min: min, max: max, greedy: greedy, offset: offset)
        case .lookaround(let inner, let behind, let negated):
            return .lookaround(resolve(inner, slots), behind: behind, negated: negated)
        default: return node
        }
    }

    // MARK: Helpers

    private func error(_ message: String, at offset: Int) -> RegexSyntaxError {
        RegexSyntaxError(pattern: pattern, message: message, offset: offset)
    }

    private var atEnd: Bool { index >= source.count }

    private func peek(_ ahead: Int = 0) -> UInt32? {
        index + ahead < source.count ? source[index + ahead] : nil
    }

    private func peekIs(_ c: Character, _ ahead: Int = 0) -> Bool {
        peek(ahead) == c.unicodeScalars.first!.value
    }

    private func text(_ from: Int, _ to: Int) -> String {
        var s = String.UnicodeScalarView()
        for c in source[max(0, from)..<min(to, source.count)] {
            if let scalar = Unicode.Scalar(c) { s.append(scalar) }
        }
        return String(s)
    }

    private static func hexValue(_ c: UInt32) -> UInt32? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x41 + 10
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }

    private static func isDigit(_ c: UInt32?) -> Bool { c.map { $0 >= 0x30 && $0 <= 0x39 } ?? false }

    private static let syntaxCharacters: Set<UInt32> = Set("^$\\.*+?()[]{}|/".unicodeScalars.map(\.value))

    // MARK: Disjunction, alternative, term

    private mutating func parseDisjunction() throws(RegexSyntaxError) -> RegexNode {
        var alternatives = [try parseAlternative()]
        while peekIs("|") {
            index += 1
            alternatives.append(try parseAlternative())
        }
        return alternatives.count == 1 ? alternatives[0] : .alternation(alternatives)
    }

    private mutating func parseAlternative() throws(RegexSyntaxError) -> RegexNode {
        var terms: [RegexNode] = []
        while let c = peek(), c != 0x7C /* | */, c != 0x29 /* ) */ {
            terms.append(try parseTerm())
        }
        switch terms.count {
        case 0: return .empty
        case 1: return terms[0]
        default: return .concatenation(terms)
        }
    }

    private mutating func parseTerm() throws(RegexSyntaxError) -> RegexNode {
        let start = index
        let c = source[index]
        switch c {
        case 0x5E: // ^
            index += 1
            return try refuseQuantifier(.startAnchor, "'^'")
        case 0x24: // $
            index += 1
            return try refuseQuantifier(.endAnchor, "'$'")
        case 0x5C where peekIs("b", 1) || peekIs("B", 1): // \b \B
            let negated = peekIs("B", 1)
            index += 2
            return try refuseQuantifier(.wordBoundary(negated: negated), negated ? "'\\B'" : "'\\b'")
        case 0x28 where peekIs("?", 1) && (peekIs("=", 2) || peekIs("!", 2)):
            let negated = peekIs("!", 2)
            index += 3
            hasLookaround = true
            let body = try parseNested(openedAt: start)
            return try refuseQuantifier(.lookaround(body, behind: false, negated: negated), "a lookahead")
        case 0x28 where peekIs("?", 1) && peekIs("<", 2) && (peekIs("=", 3) || peekIs("!", 3)):
            let negated = peekIs("!", 3)
            index += 4
            hasLookaround = true
            let body = try parseNested(openedAt: start)
            return try refuseQuantifier(.lookaround(body, behind: true, negated: negated), "a lookbehind")
        default:
            let atom = try parseAtom()
            return try parseQuantifier(atom)
        }
    }

    private mutating func refuseQuantifier(_ node: RegexNode, _ what: String) throws(RegexSyntaxError) -> RegexNode {
        if let c = peek(), c == 0x2A || c == 0x2B || c == 0x3F || (c == 0x7B && quantifierBraceLength() != nil) {
            throw error("nothing to repeat: \(what) cannot be quantified", at: index)
        }
        return node
    }

    /// Parses `...)` after an opening bracket, tracking nesting depth.
    private mutating func parseNested(openedAt start: Int) throws(RegexSyntaxError) -> RegexNode {
        depth += 1
        if depth > Self.maxNesting {
            throw error("groups nested too deeply (the limit is \(Self.maxNesting) levels)", at: start)
        }
        let body = try parseDisjunction()
        guard peekIs(")") else { throw error("unterminated group", at: start) }
        index += 1
        depth -= 1
        return body
    }

    // MARK: Quantifiers

    /// When a valid `{n}`, `{n,}` or `{n,m}` starts at the current index, its length.
    private func quantifierBraceLength() -> Int? {
        var i = index + 1
        var digits = 0
        while i < source.count, Self.isDigit(source[i]) { i += 1; digits += 1 }
        guard digits > 0, i < source.count else { return nil }
        if source[i] == 0x2C { // ,
            i += 1
            while i < source.count, Self.isDigit(source[i]) { i += 1 }
        }
        guard i < source.count, source[i] == 0x7D else { return nil }
        return i + 1 - index
    }

    private func number(from: Int, to: Int) -> Int {
        var value = 0
        for c in source[from..<to] {
            value = value > 100_000_000 ? value : value * 10 + Int(c - 0x30)
        }
        return value
    }

    private mutating func parseQuantifier(_ atom: RegexNode) throws(RegexSyntaxError) -> RegexNode {
        guard let c = peek() else { return atom }
        let start = index
        var min: Int
        var max: Int?
        switch c {
        case 0x2A: min = 0; max = nil; index += 1
        case 0x2B: min = 1; max = nil; index += 1
        case 0x3F: min = 0; max = 1; index += 1
        case 0x7B:
            guard let length = quantifierBraceLength() else {
                throw error("incomplete quantifier: a lone '{' must be escaped as '\\{'", at: index)
            }
            let end = index + length - 1 // at '}'
            var i = index + 1
            while Self.isDigit(source[i]) { i += 1 }
            min = number(from: index + 1, to: i)
            if source[i] == 0x2C {
                let upperStart = i + 1
                max = upperStart == end ? nil : number(from: upperStart, to: end)
            } else {
                max = min
            }
            if let max, max < min {
                throw error("numbers out of order in quantifier \(text(start, end + 1))", at: start)
            }
            index = end + 1
        default:
            return atom
        }
        var greedy = true
        if peekIs("?") {
            greedy = false
            index += 1
        }
        if let next = peek(), next == 0x2A || next == 0x2B || next == 0x3F || (next == 0x7B && quantifierBraceLength() != nil) {
            throw error("nothing to repeat: a quantifier cannot follow another quantifier", at: index)
        }
        return .repetition(atom, min: min, max: max, greedy: greedy, offset: start)
    }

    // MARK: Atoms

    private mutating func parseAtom() throws(RegexSyntaxError) -> RegexNode {
        let start = index
        let c = source[index]
        switch c {
        case 0x2E: // .
            index += 1
            return .set(.dot)
        case 0x28: // (
            return try parseGroup()
        case 0x5B: // [
            return .set(try parseClass())
        case 0x5C: // \
            return try parseAtomEscape()
        case 0x2A, 0x2B, 0x3F: // * + ?
            throw error("nothing to repeat: '\(text(start, start + 1))' must follow something", at: start)
        case 0x7B: // {
            if quantifierBraceLength() != nil {
                throw error("nothing to repeat: '\(text(start, start + quantifierBraceLength()!))' must follow something", at: start)
            }
            throw error("lone '{': escape it as '\\{'", at: start)
        case 0x7D:
            throw error("lone '}': escape it as '\\}'", at: start)
        case 0x5D:
            throw error("lone ']': escape it as '\\]'", at: start)
        default:
            index += 1
            return .scalar(c)
        }
    }

    private mutating func parseGroup() throws(RegexSyntaxError) -> RegexNode {
        let start = index
        guard peekIs("?", 1) else {
            index += 1
            captureCount += 1
            let number = captureCount
            return .group(try parseNested(openedAt: start), capture: number)
        }
        if peekIs(":", 2) {
            index += 3
            return .group(try parseNested(openedAt: start), capture: nil)
        }
        if peekIs("<", 2) {
            index += 3
            let name = try parseGroupName(openedAt: start)
            if groupNames[name] != nil {
                throw error("duplicate group name '\(name)'", at: start)
            }
            captureCount += 1
            let number = captureCount
            groupNames[name] = number
            return .group(try parseNested(openedAt: start), capture: number)
        }
        if peekIs("P", 2) {
            throw error("invalid group '(?P': Python-style named groups are not ECMA-262; use (?<name>...)", at: start)
        }
        if peekIs("#", 2) {
            throw error("invalid group '(?#': comments are not ECMA-262", at: start)
        }
        if let f = peek(2), "imsx-".unicodeScalars.contains(where: { $0.value == f }) {
            throw error("inline modifiers such as '(?i)' are not supported in JSON Schema patterns", at: start)
        }
        throw error("invalid group: '(?' must be followed by ':', '=', '!', '<=', '<!' or '<name>'", at: start)
    }

    /// Reads `name>` of a named group or `\k<name>`.
    private mutating func parseGroupName(openedAt start: Int) throws(RegexSyntaxError) -> String {
        var name = String.UnicodeScalarView()
        while let c = peek(), c != 0x3E /* > */ {
            guard let scalar = Unicode.Scalar(c) else { throw error("invalid group name", at: index) }
            let first = name.isEmpty
            let valid = c == 0x24 || c == 0x5F
                || (first ? scalar.properties.isIDStart : (scalar.properties.isIDContinue || c == 0x200C || c == 0x200D))
            guard valid else {
                throw error("invalid character '\(Character(scalar))' in group name", at: index)
            }
            name.append(scalar)
            index += 1
        }
        guard peekIs(">") else { throw error("unterminated group name", at: start) }
        guard !name.isEmpty else { throw error("empty group name", at: start) }
        index += 1
        return String(name)
    }

    // MARK: Escapes

    private mutating func parseAtomEscape() throws(RegexSyntaxError) -> RegexNode {
        let start = index
        guard let c = peek(1) else { throw error("'\\' at end of pattern", at: start) }
        switch c {
        case 0x31...0x39: // \1-\9: backreference
            index += 1
            let digitsStart = index
            while Self.isDigit(peek()) { index += 1 }
            let number = number(from: digitsStart, to: index)
            numberedReferences.append((number, start))
            return .backreference(number)
        case 0x6B: // \k<name>
            index += 2
            guard peekIs("<") else { throw error("invalid escape '\\k': must be followed by <name>", at: start) }
            index += 1
            let name = try parseGroupName(openedAt: start)
            let slot = -(namedReferences.count + 1)
            namedReferences.append((name, start, slot))
            return .backreference(slot)
        default:
            if let set = try parseClassEscape() { return .set(set) }
            return .scalar(try parseCharacterEscape(inClass: false))
        }
    }

    /// `\d \D \s \S \w \W \p{..} \P{..}` at the current index (at the backslash); nil otherwise.
    private mutating func parseClassEscape() throws(RegexSyntaxError) -> RegexCharSet? {
        let start = index
        guard let c = peek(1) else { return nil }
        switch c {
        case 0x64: index += 2; return .digits
        case 0x44: index += 2; return RegexCharSet.digits.inverted
        case 0x73: index += 2; return .whiteSpace
        case 0x53: index += 2; return RegexCharSet.whiteSpace.inverted
        case 0x77: index += 2; return .wordCharacters
        case 0x57: index += 2; return RegexCharSet.wordCharacters.inverted
        case 0x70, 0x50: // p P
            let negated = c == 0x50
            index += 2
            guard peekIs("{") else {
                throw error("invalid property escape '\\\(negated ? "P" : "p")': must be followed by {name}", at: start)
            }
            index += 1
            let nameStart = index
            while !atEnd, !peekIs("}") { index += 1 }
            guard peekIs("}") else { throw error("unterminated property escape", at: start) }
            let name = text(nameStart, index)
            index += 1
            do {
                let set = try RegexUnicodeProperties.set(named: name)
                return negated ? set.inverted : set
            } catch {
                throw self.error("invalid property name '\(name)' in '\\p{\(name)}'", at: start)
            }
        default:
            return nil
        }
    }

    /// A CharacterEscape (after the backslash at the current index): the code point it denotes.
    private mutating func parseCharacterEscape(inClass: Bool) throws(RegexSyntaxError) -> UInt32 {
        let start = index
        guard let c = peek(1) else { throw error("'\\' at end of pattern", at: start) }
        index += 2
        switch c {
        case 0x74: return 0x09 // t
        case 0x6E: return 0x0A // n
        case 0x76: return 0x0B // v
        case 0x66: return 0x0C // f
        case 0x72: return 0x0D // r
        case 0x62 where inClass: return 0x08 // [\b] is backspace
        case 0x2D where inClass: return 0x2D // [\-]
        case 0x30: // \0
            if Self.isDigit(peek()) {
                throw error("invalid escape '\\0\(text(index, index + 1))': octal escapes are not allowed", at: start)
            }
            return 0
        case 0x63: // \cX
            guard let letter = peek(), (letter >= 0x41 && letter <= 0x5A) || (letter >= 0x61 && letter <= 0x7A) else {
                throw error("invalid control escape '\\c': must be followed by a letter A-Z or a-z", at: start)
            }
            index += 1
            return letter % 32
        case 0x78: // \xHH
            guard let h1 = peek().flatMap(Self.hexValue), let h2 = peek(1).flatMap(Self.hexValue) else {
                throw error("invalid escape '\\x': must be followed by two hex digits", at: start)
            }
            index += 2
            return h1 * 16 + h2
        case 0x75: // \uHHHH, \u{H...}
            return try parseUnicodeEscape(start: start)
        default:
            if Self.syntaxCharacters.contains(c) { return c }
            if Self.isDigit(c) {
                throw error("invalid escape '\\\(text(start + 1, start + 2))' in a character class", at: start)
            }
            throw error("invalid escape '\\\(text(start + 1, start + 2))'", at: start)
        }
    }

    /// After `\u` (index just past the `u`).
    private mutating func parseUnicodeEscape(start: Int) throws(RegexSyntaxError) -> UInt32 {
        if peekIs("{") {
            index += 1
            var value: UInt32 = 0
            var digits = 0
            while let c = peek(), let h = Self.hexValue(c) {
                value = value > RegexCharSet.maxCodePoint ? value : value * 16 + h
                digits += 1
                index += 1
            }
            guard digits > 0, peekIs("}") else {
                throw error("invalid escape '\\u{': must be hex digits followed by '}'", at: start)
            }
            guard value <= RegexCharSet.maxCodePoint else {
                throw error("invalid escape '\\u{...}': code point above 10FFFF", at: start)
            }
            index += 1
            return value
        }
        guard let value = hex4(at: index) else {
            throw error("invalid escape '\\u': must be followed by four hex digits or {hex}", at: start)
        }
        index += 4
        // A surrogate pair written as two escapes denotes one code point.
        if value >= 0xD800, value <= 0xDBFF, peekIs("\\"), peekIs("u", 1), let low = hex4(at: index + 2),
           low >= 0xDC00, low <= 0xDFFF {
            index += 6
            return 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
        }
        return value
    }

    private func hex4(at i: Int) -> UInt32? {
        guard i + 4 <= source.count else { return nil }
        var value: UInt32 = 0
        for c in source[i..<(i + 4)] {
            guard let h = Self.hexValue(c) else { return nil }
            value = value * 16 + h
        }
        return value
    }

    // MARK: Character classes

    private enum ClassAtom {
        case scalar(UInt32)
        case set(RegexCharSet)
    }

    private mutating func parseClass() throws(RegexSyntaxError) -> RegexCharSet {
        let start = index
        index += 1
        var negated = false
        if peekIs("^") {
            negated = true
            index += 1
        }
        var ranges: [ClosedRange<UInt32>] = []
        while true {
            guard let c = peek() else { throw error("unterminated character class", at: start) }
            if c == 0x5D { index += 1; break }
            let atomStart = index
            let first = try parseClassAtom()
            if peekIs("-"), let next = peek(1), next != 0x5D {
                index += 1
                let second = try parseClassAtom()
                guard case .scalar(let low) = first, case .scalar(let high) = second else {
                    throw error("invalid range [\(text(atomStart, index))]: a class escape cannot be a range endpoint", at: atomStart)
                }
                guard low <= high else {
                    throw error("invalid range [\(text(atomStart, index))]: out of order", at: atomStart)
                }
                ranges.append(low...high)
                continue
            }
            switch first {
            case .scalar(let s): ranges.append(s...s)
            case .set(let set): ranges += set.ranges
            }
        }
        let set = RegexCharSet(ranges: ranges)
        return negated ? set.inverted : set
    }

    private mutating func parseClassAtom() throws(RegexSyntaxError) -> ClassAtom {
        guard let c = peek() else { throw error("unterminated character class", at: index) }
        if c != 0x5C {
            index += 1
            return .scalar(c)
        }
        if let set = try parseClassEscape() { return .set(set) }
        return .scalar(try parseCharacterEscape(inClass: true))
    }
}
