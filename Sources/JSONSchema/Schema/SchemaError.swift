/// A schema that cannot be compiled: a keyword of the wrong type, a pattern that is not a
/// regular expression, a `$ref` that leads nowhere or only to itself.
///
/// `path` is a JSON pointer to the offending keyword in the schema (`/properties/name/pattern`);
/// for a document taken from the registry it is prefixed with the document's URI.
public struct SchemaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of problem the schema has.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        enum Base: String, Hashable, Sendable {
            case invalidKeyword
            case invalidRegex
            case unresolvedReference
            case referenceCycle
            case unsupportedDialect
            case unsupportedVocabulary
            case invalidURI
            case invalidDefault
        }

        let base: Base

        /// A keyword whose value has the wrong type or an impossible value (`{"minimum": "a"}`).
        public static let invalidKeyword = Code(base: .invalidKeyword)
        /// A `pattern`, `patternProperties` key or similar that is not an ECMA-262 regular expression.
        public static let invalidRegex = Code(base: .invalidRegex)
        /// A `$ref` or `$dynamicRef` whose target is neither in the schema nor in the registry.
        public static let unresolvedReference = Code(base: .unresolvedReference)
        /// `$ref`s that lead back to themselves without reaching any keyword that moves into the
        /// instance: validating with them would never end.
        public static let referenceCycle = Code(base: .referenceCycle)
        /// A `$schema` that names neither a supported dialect nor a registered meta-schema.
        public static let unsupportedDialect = Code(base: .unsupportedDialect)
        /// A meta-schema that requires a vocabulary this implementation does not know.
        public static let unsupportedVocabulary = Code(base: .unsupportedVocabulary)
        /// An `$id`, `$ref` or registry URI that cannot be parsed.
        public static let invalidURI = Code(base: .invalidURI)
        /// A `default` that fails the schema it is written in (reported only by
        /// ``SchemaValidator/checkDefaults()``).
        public static let invalidDefault = Code(base: .invalidDefault)

        public var description: String { base.rawValue }
    }

    /// What kind of problem it is.
    public let code: Code
    /// JSON pointer to the offending keyword in the schema ("" for the root).
    public let path: String
    /// What is wrong, in words a schema author can act on.
    public let message: String

    public init(code: Code, path: String, message: String) {
        self.code = code
        self.path = path
        self.message = message
    }

    public var description: String {
        path.isEmpty ? "invalid schema: \(message)" : "invalid schema at '\(path)': \(message)"
    }
}
