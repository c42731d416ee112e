/// A compiled keyword: what it checks, with its child schemas already resolved.
///
/// Every payload is trivially copyable (integers, bit sets, non-retaining references to
/// objects the ``CompiledSchema`` owns), so reading a keyword costs no reference counting.
enum Keyword {
    case type(TypeSet)
    case enumeration(Unowned<EnumValues>)
    case constant(Unowned<JSONBox>)
    case minimum(Unowned<NumberLimit>)
    case maximum(Unowned<NumberLimit>)
    case exclusiveMinimum(Unowned<NumberLimit>)
    case exclusiveMaximum(Unowned<NumberLimit>)
    case multipleOf(Unowned<MultipleOf>)
    case minLength(Int)
    case maxLength(Int)
    case pattern(Unowned<RegexBox>)
    case format(Unowned<FormatAssertion>)
    case minItems(Int)
    case maxItems(Int)
    case uniqueItems
    case items(Unowned<ArrayItems>)
    case contains(Unowned<Contains>)
    case members(Unowned<ObjectMembers>)
    case required(Unowned<NameList>)
    case dependentRequired(Unowned<DependentRequired>)
    case dependentSchemas(Unowned<DependentSchemas>)
    case propertyNames(NodeRef)
    case minProperties(Int)
    case maxProperties(Int)
    case allOf(Unowned<NodeList>)
    case anyOf(Unowned<NodeList>)
    case oneOf(Unowned<NodeList>)
    case not(NodeRef)
    case conditional(Unowned<Conditional>)
    case ref(NodeRef)
    case dynamicRef(Unowned<DynamicRef>)
    case unevaluatedProperties(NodeRef)
    case unevaluatedItems(NodeRef)
}

/// The names a keyword reports errors under, kept apart from ``Keyword`` so that the hot
/// path never touches them.
struct KeywordInfo: Sendable {
    /// The keyword as written (`maximum`); for ``Keyword/members(_:)`` the first of
    /// `properties`/`patternProperties`/`additionalProperties` present.
    let name: String
    /// JSON pointer of the keyword in the schema.
    let schemaPath: String
}

/// A non-retaining reference to an object owned by a ``CompiledSchema``.
struct Unowned<Object: AnyObject>: @unchecked Sendable {
    private let reference: Unmanaged<Object>

    init(_ object: Object) { reference = .passUnretained(object) }

    /// The object (a strong reference; hot paths use ``callAsFunction(_:)``).
    var object: Object { reference.takeUnretainedValue() }

    /// Runs `body` with the object, without touching its reference count.
    @inline(__always)
    func callAsFunction<R>(_ body: (Object) -> R) -> R {
        reference._withUnsafeGuaranteedRef(body)
    }
}

/// A JSON value held by reference (`const`).
final class JSONBox: Sendable {
    let value: JSON
    init(_ value: JSON) { self.value = value }
}

/// A compiled `pattern`.
final class RegexBox: Sendable {
    let regex: ECMARegex
    init(_ regex: ECMARegex) { self.regex = regex }
}

/// The names of `required`.
final class NameList: Sendable {
    let names: [String]
    private let matchers: [SchemaString]

    init(_ names: [String]) {
        self.names = names
        self.matchers = names.map(SchemaString.init)
    }

    /// Whether `object` has every name. Small objects are scanned with byte-length checks
    /// first; large ones use the object's own index.
    @inline(__always)
    func allPresent(in object: JSONObject) -> Bool {
        if object.count > 12 { return names.allSatisfy { object.position(of: $0) != nil } }
        return object.keys.withUnsafeBufferPointer { keys in
            for matcher in matchers {
                var found = false
                for key in keys where matcher.matches(key) {
                    found = true
                    break
                }
                if !found { return false }
            }
            return true
        }
    }
}

/// The schemas of `allOf`, `anyOf` or `oneOf`.
final class NodeList: @unchecked Sendable {
    let nodes: [NodeRef]
    init(_ nodes: [NodeRef]) { self.nodes = nodes }
}

/// `dependentRequired` (or the name-list form of draft-07 `dependencies`).
final class DependentRequired: Sendable {
    let dependencies: [(property: String, required: [String])]
    init(_ dependencies: [(String, [String])]) { self.dependencies = dependencies.map { (property: $0.0, required: $0.1) } }
}

/// `dependentSchemas` (or the schema form of draft-07 `dependencies`).
final class DependentSchemas: @unchecked Sendable {
    let dependencies: [(property: String, schema: NodeRef)]
    init(_ dependencies: [(String, NodeRef)]) { self.dependencies = dependencies.map { (property: $0.0, schema: $0.1) } }
}

/// `prefixItems` + `items` (2020-12), or `items` (array or schema) + `additionalItems` (draft-07).
final class ArrayItems: @unchecked Sendable {
    let prefix: [NodeRef]
    let prefixKeyword: String
    let prefixPath: String
    let rest: NodeRef?
    let restKeyword: String
    let restPath: String

    init(prefix: [NodeRef], prefixKeyword: String, prefixPath: String, rest: NodeRef?, restKeyword: String, restPath: String) {
        self.prefix = prefix
        self.prefixKeyword = prefixKeyword
        self.prefixPath = prefixPath
        self.rest = rest
        self.restKeyword = restKeyword
        self.restPath = restPath
    }
}

/// `contains` with `minContains` / `maxContains`.
final class Contains: @unchecked Sendable {
    let schema: NodeRef
    let min: Int
    let max: Int?

    init(schema: NodeRef, min: Int, max: Int?) {
        self.schema = schema
        self.min = min
        self.max = max
    }
}

/// `properties`, `patternProperties` and `additionalProperties` of one schema, applied in a
/// single pass over the instance's members.
final class ObjectMembers: @unchecked Sendable {
    let names: [String]
    /// `names` prepared for comparison by code point.
    private let matchers: [SchemaString]
    let schemas: [NodeRef]
    let namesPath: String
    /// Name → index into `names`, for schemas with many properties.
    private let lookup: [String: Int]?
    let patterns: [(regex: ECMARegex, schema: NodeRef)]
    let patternsPath: String
    let additional: NodeRef?
    let additionalPath: String

    init(names: [String], schemas: [NodeRef], namesPath: String, patterns: [(ECMARegex, NodeRef)], patternsPath: String,
         additional: NodeRef?, additionalPath: String) {
        self.names = names
        self.matchers = names.map(SchemaString.init)
        self.schemas = schemas
        self.namesPath = namesPath
        self.patterns = patterns.map { (regex: $0.0, schema: $0.1) }
        self.patternsPath = patternsPath
        self.additional = additional
        self.additionalPath = additionalPath
        if names.count > 16 {
            var d: [String: Int] = [:]
            for (i, n) in names.enumerated() where d[n] == nil { d[n] = i }
            lookup = d
        } else {
            lookup = nil
        }
    }

    /// The index of the `properties` entry for `key`. The scan starts at `hint` (instances
    /// usually list members in schema order, so the entry after the previous match is the
    /// likely one) and wraps around.
    @inline(__always)
    func index(of key: String, hint: Int = 0) -> Int? {
        if let lookup { return lookup[key] }
        let count = matchers.count
        var i = hint < count ? hint : 0
        for _ in 0..<count {
            if matchers[i].matches(key) { return i }
            i += 1
            if i == count { i = 0 }
        }
        return nil
    }
}

/// `if` / `then` / `else`.
final class Conditional: @unchecked Sendable {
    let condition: NodeRef
    let then: NodeRef?
    let otherwise: NodeRef?

    init(condition: NodeRef, then: NodeRef?, otherwise: NodeRef?) {
        self.condition = condition
        self.then = then
        self.otherwise = otherwise
    }
}

/// A `$dynamicRef` whose target depends on the dynamic scope: the outermost resource in scope
/// with a `$dynamicAnchor` of this name wins, else the statically resolved target.
final class DynamicRef: @unchecked Sendable {
    let anchor: String
    let fallback: NodeRef

    init(anchor: String, fallback: NodeRef) {
        self.anchor = anchor
        self.fallback = fallback
    }
}
