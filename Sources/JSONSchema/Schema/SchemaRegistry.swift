/// Schema documents known by URI, for `$ref`s that leave the schema being compiled
/// (`{"$ref": "https://example.com/schemas/address.json"}`) and for custom meta-schemas named
/// by `$schema`. Nothing is ever fetched over the network.
///
/// The meta-schemas of draft 2020-12 (with its vocabulary meta-schemas) and draft-07 are always
/// known and need no registration.
public struct SchemaRegistry: Sendable {
    private(set) var documents: [String: JSON] = [:]

    public init() {}

    /// Makes `document` available under `uri` (an absolute URI; a trailing empty fragment `#`
    /// is ignored). A document whose root has its own `$id` is also found under that `$id`
    /// once it has been loaded through `uri`. Registering the same URI again replaces the
    /// earlier document.
    ///
    /// - Throws: ``SchemaError`` with code ``SchemaError/Code/invalidURI`` when `uri` is not
    ///   an absolute URI without a fragment, or ``SchemaError/Code/invalidKeyword`` when the
    ///   document is neither an object nor a boolean.
    public mutating func register(_ document: JSON, uri: String) throws(SchemaError) {
        guard let key = Self.key(for: uri) else {
            throw SchemaError(code: .invalidURI, path: "",
                              message: "'\(uri)' is not an absolute URI without a fragment, so a schema cannot be registered under it")
        }
        switch document {
        case .object, .bool: break
        default:
            throw SchemaError(code: .invalidKeyword, path: "",
                              message: "the document registered as '\(uri)' must be an object or a boolean, got \(document.typeName)")
        }
        documents[key] = document
    }

    /// The registered document for `uri`, then the built-in meta-schemas.
    func document(for uri: String) -> JSON? {
        guard let key = Self.key(for: uri) else { return nil }
        return documents[key] ?? MetaSchemas.document(for: key)
    }

    /// The normalized form under which a document is stored, or nil for unusable URIs.
    static func key(for uri: String) -> String? {
        guard let ref = URIReference(uri), ref.isAbsolute else { return nil }
        if let f = ref.fragment, !f.isEmpty { return nil }
        return ref.withoutFragment.description
    }
}
