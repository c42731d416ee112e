/// Where a subschema is: a document and a JSON pointer inside it.
struct SchemaLocation: Hashable, Sendable {
    let document: Int
    let pointer: String
}

/// Every schema document in use (the schema being compiled, registry documents it refers to,
/// meta-schemas), with the identifiers they declare: resources by `$id`, `$anchor`s,
/// `$dynamicAnchor`s, and for each subschema its base URI and dialect.
final class SchemaIndex {
    struct Document {
        let json: JSON
        /// Prefix of schema paths in error messages: "" for the schema being compiled,
        /// "<uri>#" for other documents.
        let displayPrefix: String
    }

    /// What a subschema needs from its surroundings.
    struct Scope {
        /// Base URI for resolving references (`$id` of the nearest resource).
        var base: URIReference
        /// The URI of the resource the subschema belongs to.
        var resource: String
        var dialect: DialectSettings
    }

    /// The base URI of a schema that has no `$id`.
    static let defaultBaseURI = "json-schema:///schema.json"

    private(set) var documents: [Document] = []
    private var resources: [String: SchemaLocation] = [:]
    private var anchors: [String: SchemaLocation] = [:]
    private(set) var dynamicAnchors: [String: [String: SchemaLocation]] = [:]
    private var scopes: [SchemaLocation: Scope] = [:]
    private var loadedURIs: Set<String> = []
    private var dialectCache: [String: DialectSettings] = [:]

    let registry: SchemaRegistry
    let defaultDialect: Dialect

    init(registry: SchemaRegistry, defaultDialect: Dialect) {
        self.registry = registry
        self.defaultDialect = defaultDialect
    }

    // MARK: - Documents

    /// Adds a document under `uri` and indexes its identifiers.
    @discardableResult
    /// A document without `$schema` is read in `dialect`.
    func addDocument(_ json: JSON, uri: String, displayPrefix: String, dialect: DialectSettings) throws(SchemaError) -> Int {
        let index = documents.count
        documents.append(Document(json: json, displayPrefix: displayPrefix))
        loadedURIs.insert(uri)
        guard let base = URIReference(uri) else {
            throw SchemaError(code: .invalidURI, path: "", message: "'\(uri)' is not a URI")
        }
        let root = SchemaLocation(document: index, pointer: "")
        if resources[uri] == nil { resources[uri] = root }
        try walk(json, at: root, scope: Scope(base: base, resource: uri, dialect: dialect), isDocumentRoot: true)
        return index
    }

    func value(at location: SchemaLocation) -> JSON? {
        JSONPointer.resolve(location.pointer, in: documents[location.document].json)
    }

    /// The JSON pointer of a location as shown in errors.
    func displayPath(_ location: SchemaLocation) -> String {
        documents[location.document].displayPrefix + location.pointer
    }

    /// The scope of a subschema; for locations the walk did not reach (a `$ref` into an
    /// unknown keyword) the scope of the nearest enclosing schema.
    func scope(at location: SchemaLocation) -> Scope {
        if let s = scopes[location] { return s }
        var pointer = Substring(location.pointer)
        while let slash = pointer.lastIndex(of: "/") {
            pointer = pointer[..<slash]
            if let s = scopes[SchemaLocation(document: location.document, pointer: String(pointer))] { return s }
        }
        return scopes[SchemaLocation(document: location.document, pointer: "")]
            ?? Scope(base: URIReference(Self.defaultBaseURI)!, resource: Self.defaultBaseURI,
                     dialect: DialectSettings(dialect: defaultDialect))
    }

    // MARK: - Resolution

    /// The location an absolute URI reference designates, loading registry documents as needed.
    /// A registry document loaded here without its own `$schema` is read in `dialect`, the
    /// dialect of the referring schema.
    func locate(_ uri: URIReference, dialect: DialectSettings) throws(SchemaError) -> SchemaLocation? {
        let resource = uri.withoutFragment.description
        let fragment = URIReference.percentDecoded(uri.fragment ?? "")
        if let found = find(resource: resource, fragment: fragment) { return found }
        guard !loadedURIs.contains(resource), let document = registry.document(for: resource) else { return nil }
        try addDocument(document, uri: resource, displayPrefix: resource + "#", dialect: dialect)
        return find(resource: resource, fragment: fragment)
    }

    private func find(resource: String, fragment: String) -> SchemaLocation? {
        if fragment.isEmpty || fragment.hasPrefix("/") {
            guard let base = resources[resource] else { return nil }
            let location = SchemaLocation(document: base.document, pointer: base.pointer + fragment)
            return value(at: location) == nil ? nil : location
        }
        return anchors[resource + "#" + fragment]
    }

    // MARK: - Dialects

    /// The dialect and vocabularies a `$schema` value selects.
    func dialect(for uri: String, path: String) throws(SchemaError) -> DialectSettings {
        if let d = Dialect.named(by: uri) { return DialectSettings(dialect: d) }
        if let cached = dialectCache[uri] { return cached }
        guard let key = SchemaRegistry.key(for: uri.hasSuffix("#") ? String(uri.dropLast()) : uri),
              case .object(let meta)? = registry.document(for: key)
        else {
            throw SchemaError(code: .unsupportedDialect, path: path,
                              message: "'$schema' names '\(uri)', which is neither draft 2020-12, draft-07 nor a registered meta-schema")
        }
        var base = defaultDialect
        if case .string(let s)? = meta["$schema"], let d = Dialect.named(by: s) { base = d }
        var settings = DialectSettings(dialect: base)
        if base == .draft2020_12, case .object(let vocabularies)? = meta["$vocabulary"] {
            settings.validationVocabulary = vocabularies.contains("https://json-schema.org/draft/2020-12/vocab/validation")
            settings.formatAssertionVocabulary = vocabularies.contains("https://json-schema.org/draft/2020-12/vocab/format-assertion")
            for (vocabulary, required) in vocabularies
            where required == .bool(true) && !MetaSchemas.draft2020_12Vocabularies.contains(vocabulary) {
                throw SchemaError(code: .unsupportedVocabulary, path: path,
                                  message: "meta-schema '\(uri)' requires the vocabulary '\(vocabulary)', which is not supported")
            }
        }
        dialectCache[uri] = settings
        return settings
    }

    // MARK: - Walking

    private func walk(_ json: JSON, at location: SchemaLocation, scope inherited: Scope, isDocumentRoot: Bool) throws(SchemaError) {
        guard case .object(let o) = json else {
            scopes[location] = inherited
            return
        }
        var scope = inherited
        let path = displayPath(location)
        if case .string(let s)? = o["$schema"], isDocumentRoot || o["$id"] != nil {
            scope.dialect = try dialect(for: s, path: JSONPointer.appending(path, "$schema"))
        }
        let draft7 = scope.dialect.dialect == .draft7
        if let idValue = o["$id"], !(draft7 && o["$ref"] != nil) {
            guard case .string(let id) = idValue else {
                throw SchemaError(code: .invalidKeyword, path: JSONPointer.appending(path, "$id"),
                                  message: "'$id' must be a string, got \(idValue.typeName)")
            }
            guard let ref = URIReference(id) else {
                throw SchemaError(code: .invalidURI, path: JSONPointer.appending(path, "$id"), message: "'$id' '\(id)' is not a URI reference")
            }
            if draft7 && id.hasPrefix("#") {
                if id.count > 1 { anchors[scope.resource + id] = location }
            } else {
                let resolved = ref.resolved(against: scope.base).withoutFragment
                scope.base = resolved
                scope.resource = resolved.description
                if resources[scope.resource] == nil { resources[scope.resource] = location }
                if draft7, let f = ref.fragment, !f.isEmpty { anchors[scope.resource + "#" + f] = location }
            }
        }
        if !draft7 {
            if case .string(let a)? = o["$anchor"] { anchors[scope.resource + "#" + a] = location }
            if case .string(let a)? = o["$dynamicAnchor"] {
                anchors[scope.resource + "#" + a] = location
                dynamicAnchors[scope.resource, default: [:]][a] = location
            }
        }
        scopes[location] = scope
        for (key, value) in o {
            switch Self.subschemaShape(of: key, in: scope.dialect.dialect) {
            case .none:
                continue
            case .single:
                try walk(value, at: child(location, key), scope: scope, isDocumentRoot: false)
            case .map:
                guard case .object(let m) = value else { continue }
                let base = child(location, key)
                for (name, sub) in m {
                    if case .array = sub { continue }  // draft-07 `dependencies` lists names
                    try walk(sub, at: child(base, name), scope: scope, isDocumentRoot: false)
                }
            case .list:
                guard case .array(let list) = value else {
                    if key == "items" { try walk(value, at: child(location, key), scope: scope, isDocumentRoot: false) }
                    continue
                }
                let base = child(location, key)
                for (i, sub) in list.enumerated() {
                    try walk(sub, at: SchemaLocation(document: base.document, pointer: JSONPointer.appending(base.pointer, i)),
                             scope: scope, isDocumentRoot: false)
                }
            }
        }
    }

    private func child(_ location: SchemaLocation, _ key: String) -> SchemaLocation {
        SchemaLocation(document: location.document, pointer: JSONPointer.appending(location.pointer, key))
    }

    enum SubschemaShape {
        case none, single, map, list
    }

    /// How a keyword holds subschemas in a dialect.
    static func subschemaShape(of keyword: String, in dialect: Dialect) -> SubschemaShape {
        switch keyword {
        case "additionalProperties", "propertyNames", "contains", "not", "if", "then", "else":
            return .single
        case "properties", "patternProperties", "definitions", "dependencies":
            return .map
        case "allOf", "anyOf", "oneOf":
            return .list
        default:
            break
        }
        switch dialect {
        case .draft2020_12:
            switch keyword {
            case "items", "unevaluatedItems", "unevaluatedProperties", "contentSchema": return .single
            case "$defs", "dependentSchemas": return .map
            case "prefixItems": return .list
            default: return .none
            }
        case .draft7:
            switch keyword {
            case "additionalItems": return .single
            case "items": return .list
            default: return .none
            }
        }
    }
}
