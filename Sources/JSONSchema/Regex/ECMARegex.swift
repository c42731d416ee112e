import Foundation

/// A regular expression with ECMA-262 syntax and semantics, as JSON Schema's `pattern`,
/// `patternProperties` and the `regex` format use. Matching is a search (unanchored).
public struct ECMARegex: Sendable {
    public let pattern: String
    private let regex: NSRegularExpression

    public init(_ pattern: String) throws(RegexSyntaxError) {
        self.pattern = pattern
        do {
            regex = try NSRegularExpression(pattern: pattern)
        } catch {
            throw RegexSyntaxError(pattern: pattern, message: "invalid regular expression", offset: 0)
        }
    }

    /// True when the pattern matches somewhere in `string`.
    public func matches(_ string: String) -> Bool {
        regex.firstMatch(in: string, range: NSRange(string.startIndex..., in: string)) != nil
    }
}

/// A pattern that is not a valid ECMA-262 regular expression.
public struct RegexSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public let pattern: String
    public let message: String
    /// Position (in Unicode scalars) in the pattern where the problem was found.
    public let offset: Int

    public var description: String { "invalid regular expression /\(pattern)/: \(message) at position \(offset)" }
}
