/// One compiled (sub)schema: a boolean schema or an ordered list of compiled keywords whose
/// child schemas are already resolved to nodes, so validation never looks a keyword up by
/// name.
///
/// Nodes reference each other (`$ref` makes cycles) without retaining; every node is owned by
/// the ``CompiledSchema`` that made it, which outlives all validation through it.
final class SchemaNode: @unchecked Sendable {
    enum Kind {
        case alwaysValid
        case alwaysInvalid
        case keywords
    }

    // All stored properties are written only while compiling, before the node is shared.
    var kind: Kind = .keywords
    /// The keywords, in a buffer the node owns: reading them costs no reference counting.
    private(set) var keywords: UnsafeBufferPointer<Keyword> = UnsafeBufferPointer(start: nil, count: 0)
    /// Names and schema paths of `keywords`, used only to report errors.
    var keywordInfo: [KeywordInfo] = []
    /// True when this node has `unevaluatedProperties` or `unevaluatedItems`: its keywords then
    /// record what they evaluate.
    var tracksEvaluation = false
    /// The schema resource (`$id` scope) the node belongs to, for `$dynamicRef`.
    unowned(unsafe) let resource: SchemaResource
    /// JSON pointer of this schema (prefixed with the document URI outside the root document).
    let schemaPath: String
    /// For simple leaf schemas (only `type`, integer `minimum` / `maximum`, string `enum`), the
    /// same checks in a form the parent applies inline; nil otherwise.
    var leaf: LeafCheck?
    /// The `default` keyword's value, as written.
    var defaultValue: JSON?

    init(resource: SchemaResource, schemaPath: String) {
        self.resource = resource
        self.schemaPath = schemaPath
    }

    deinit {
        keywords.deallocate()
    }

    /// Installs the compiled keywords (once, while compiling).
    func setKeywords(_ list: [Keyword]) {
        leaf = LeafCheck(list)
        keywords.deallocate()
        let buffer = UnsafeMutableBufferPointer<Keyword>.allocate(capacity: list.count)
        _ = buffer.initialize(from: list)
        keywords = UnsafeBufferPointer(buffer)
    }

    var isAlwaysInvalid: Bool {
        if case .alwaysInvalid = kind { return true }
        return false
    }
}

/// A non-retaining reference to a node (see ``SchemaNode``).
struct NodeRef: @unchecked Sendable {
    private let reference: Unmanaged<SchemaNode>

    init(_ node: SchemaNode) { reference = .passUnretained(node) }

    /// The node (a strong reference; prefer ``validate(_:_:_:)`` on hot paths).
    var node: SchemaNode { reference.takeUnretainedValue() }

    /// Validates through the node without touching its reference count.
    @inline(__always)
    func validate(_ instance: JSON, _ ctx: inout ValidationContext, _ eval: EvaluationTracker?) -> Bool {
        reference._withUnsafeGuaranteedRef { $0.validate(instance, &ctx, eval) }
    }

    /// See ``SchemaNode/leaf``.
    @inline(__always)
    var leaf: LeafCheck? {
        reference._withUnsafeGuaranteedRef { $0.leaf }
    }

    /// Whether the node is the `false` schema, without touching its reference count.
    @inline(__always)
    var isAlwaysInvalid: Bool {
        reference._withUnsafeGuaranteedRef { $0.isAlwaysInvalid }
    }
}

/// A schema resource: a document root or a subschema with its own `$id`. Holds the resource's
/// `$dynamicAnchor`s for `$dynamicRef` resolution.
final class SchemaResource: @unchecked Sendable {
    let uri: String
    /// Written only while compiling.
    var dynamicAnchors: [String: NodeRef] = [:]

    init(uri: String) { self.uri = uri }
}
