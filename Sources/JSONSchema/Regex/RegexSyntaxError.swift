/// A pattern that is not a valid ECMA-262 regular expression (in Unicode mode, as JSON Schema
/// uses), or one that this engine refuses because it is too large or nested too deeply.
public struct RegexSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The pattern as given.
    public let pattern: String
    /// What is wrong, e.g. `nothing to repeat` or `invalid escape '\a'`.
    public let message: String
    /// Position (in Unicode scalars) in the pattern where the problem was found.
    public let offset: Int

    public init(pattern: String, message: String, offset: Int) {
        self.pattern = pattern
        self.message = message
        self.offset = offset
    }

    public var description: String { "invalid regular expression /\(pattern)/: \(message) at position \(offset)" }
}
