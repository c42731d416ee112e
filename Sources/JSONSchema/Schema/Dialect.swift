/// A version of JSON Schema. A schema picks one with `$schema`; without it the validator's
/// default applies (draft 2020-12 unless ``SchemaValidator/Options/defaultDialect`` says otherwise).
public enum Dialect: Sendable, Hashable, CustomStringConvertible {
    /// JSON Schema 2020-12 (`https://json-schema.org/draft/2020-12/schema`).
    case draft2020_12
    /// JSON Schema draft-07 (`http://json-schema.org/draft-07/schema#`); draft-06 schemas are
    /// read as draft-07.
    case draft7

    /// The canonical meta-schema URI of the dialect.
    public var metaSchemaURI: String {
        switch self {
        case .draft2020_12: return "https://json-schema.org/draft/2020-12/schema"
        case .draft7: return "http://json-schema.org/draft-07/schema"
        }
    }

    public var description: String {
        switch self {
        case .draft2020_12: return "2020-12"
        case .draft7: return "draft-07"
        }
    }

    /// The dialect a well-known meta-schema URI names, or nil for any other URI.
    static func named(by uri: String) -> Dialect? {
        var u = Substring(uri)
        if u.hasSuffix("#") { u = u.dropLast() }
        if u.hasPrefix("https://") { u = u.dropFirst(8) } else if u.hasPrefix("http://") { u = u.dropFirst(7) } else { return nil }
        switch u {
        case "json-schema.org/draft/2020-12/schema": return .draft2020_12
        case "json-schema.org/draft-07/schema", "json-schema.org/draft-06/schema": return .draft7
        default: return nil
        }
    }
}

/// The dialect of one schema resource together with the vocabularies its meta-schema turns on.
struct DialectSettings: Hashable, Sendable {
    var dialect: Dialect
    /// False when a custom meta-schema leaves out the validation vocabulary: `type`, `enum`,
    /// `minimum` and the other assertions are then annotations only.
    var validationVocabulary = true
    /// True when `format` must be asserted because the meta-schema asks for the
    /// format-assertion vocabulary.
    var formatAssertionVocabulary = false

    init(dialect: Dialect) { self.dialect = dialect }
}
