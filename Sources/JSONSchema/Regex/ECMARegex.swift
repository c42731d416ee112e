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
///   ``RegexBacktracker/maxStackDepth`` saved states. When the budget runs out, ``evaluate(_:)``
///   answers ``Verdict/undecided``: neither "matches" nor "does not match", rather than letting
///   a hostile pattern or input hold a thread or giving a wrong answer.
///
/// ```swift
/// let image = try ECMARegex("^[a-z0-9./_-]+(:[A-Za-z0-9._-]+)?$")
/// image.matches("registry.local/team3/app-5:v1.2") // true
/// image.evaluate("x:")                                // .notMatched
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

    /// The answer of ``evaluate(_:)``.
    public enum Verdict: Sendable, Equatable {
        /// The pattern matches somewhere in the string.
        case matched
        /// The pattern matches nowhere in the string.
        case notMatched
        /// The backtracking matcher ran out of its budget before it could tell: the string
        /// neither matches nor fails to match as far as this engine can say.
        case undecided
    }

    /// Whether the pattern matches somewhere in `string`, or ``Verdict/undecided`` when the
    /// backtracking matcher's budget ran out first (only patterns with backreferences or
    /// lookaround can be undecided).
    public func evaluate(_ string: String) -> Verdict {
        if let result = string.utf8.withContiguousStorageIfAvailable({ evaluate(utf8: $0) }) {
            return result
        }
        var copy = string
        return copy.withUTF8 { evaluate(utf8: $0) }
    }

    /// True when the pattern certainly matches somewhere in `string`: false both when it does
    /// not match and when the answer is ``Verdict/undecided``. Use ``evaluate(_:)`` where the
    /// difference matters (validation does).
    public func matches(_ string: String) -> Bool {
        evaluate(string) == .matched
    }

    /// True when the pattern runs on the backtracking matcher (it has backreferences or
    /// lookaround) and one of its repetitions can match the same text in more than one way
    /// (`(a|a)*`, `(a+)+`): matching can then take time exponential in the input, and strings
    /// the pattern refuses are likely to run out of the budget (``Verdict/undecided``). Schemas
    /// refuse such patterns. See ``RegexAmbiguity``.
    public var backtracksExponentially: Bool {
        guard automaton == nil, program.hasBackreferences || program.hasLookaround else { return false }
        return RegexAmbiguity.hasExponentialLoop(program) ?? false
    }

    private func evaluate(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Verdict {
        if let automaton { return automaton.matches(bytes) ? .matched : .notMatched }
        if !program.hasBackreferences && !program.hasLookaround {
            return RegexPikeVM.matches(program, bytes) ? .matched : .notMatched
        }
        switch RegexBacktracker.search(program, bytes) {
        case .matched: return .matched
        case .noMatch: return .notMatched
        case .budgetExhausted: return .undecided
        }
    }
}
