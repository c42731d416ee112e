/// A regular expression with ECMA-262 syntax and semantics, as JSON Schema's `pattern`,
/// `patternProperties` and the `regex` format use: Unicode mode (the `u` flag), no other
/// flags. Matching is a search (unanchored); `^` and `$` match only at the start and end of
/// the string.
///
/// The pattern is parsed and compiled once, in `init`; matching allocates nothing on the
/// common path. The matcher is chosen per pattern:
/// - without backreferences, lookaround or `\b`/`\B`: a deterministic automaton built at
///   compile time (one table lookup per code point, runs of bytes that keep the automaton in
///   the same state skipped with bit tests; about 50 ns of CPU for the pattern below);
/// - without backreferences or lookaround otherwise: a simulation of all threads in step
///   (linear time);
/// - with backreferences or lookaround: backtracking in priority order with an explicit stack,
///   bounded to ``RegexBacktracker/stepBudget`` steps (plus a few per input byte) and
///   ``RegexBacktracker/maxStackDepth`` saved states. When the budget runs out, `matches`
///   returns `false`: the string is treated as not matching rather than letting a hostile
///   pattern or input hold a thread.
///
/// ```swift
/// let image = try ECMARegex("^[a-z0-9./_-]+(:[A-Za-z0-9._-]+)?$")
/// image.matches("registry.local/team3/app-5:v1.2") // true
/// ```
public struct ECMARegex: Sendable {
    /// The pattern as given.
    public let pattern: String
    private let program: RegexProgram
    private let automaton: RegexDFA?

    /// Parses and compiles `pattern`; throws when it is not a valid ECMA-262 pattern in Unicode
    /// mode, when groups nest more than 128 levels deep, or when counted repetitions expand
    /// beyond the size limit.
    public init(_ pattern: String) throws(RegexSyntaxError) {
        self.pattern = pattern
        let parsed = try RegexParser.parse(pattern)
        program = try RegexProgram.compile(parsed, pattern: pattern)
        automaton = RegexDFA(program: program)
    }

    /// Checks that `pattern` is valid (what `init` checks) without building a matcher; used by
    /// the `regex` format, where instance values, not schema authors, choose the pattern.
    static func validateSyntax(_ pattern: String) throws(RegexSyntaxError) {
        let parsed = try RegexParser.parse(pattern)
        _ = try RegexProgram.compile(parsed, pattern: pattern)
    }

    /// True when the pattern matches somewhere in `string`.
    public func matches(_ string: String) -> Bool {
        if let result = string.utf8.withContiguousStorageIfAvailable({ matches(utf8: $0) }) {
            return result
        }
        var copy = string
        return copy.withUTF8 { matches(utf8: $0) }
    }

    private func matches(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if let automaton { return automaton.matches(bytes) }
        if !program.hasBackreferences && !program.hasLookaround {
            return RegexPikeVM.matches(program, bytes)
        }
        return RegexBacktracker.search(program, bytes) == .matched
    }
}
