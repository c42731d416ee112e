/// A compiled keyword: what it checks, with its child schemas already resolved.
enum Keyword {
    case type(TypeSet)
    case enumeration(EnumValues)
    case constant(JSON)
    case minimum(NumberLimit)
    case maximum(NumberLimit)
    case exclusiveMinimum(NumberLimit)
    case exclusiveMaximum(NumberLimit)
    case multipleOf(MultipleOf)
    case minLength(Int)
    case maxLength(Int)
    case pattern(ECMARegex)
    case format(FormatAssertion)
    case minItems(Int)
    case maxItems(Int)
    case uniqueItems
    case items(ArrayItems)
    case contains(Contains)
    case members(ObjectMembers)
    case required([String])
    case dependentRequired([(String, [String])])
    case dependentSchemas([(String, NodeRef)])
    case propertyNames(NodeRef)
    case minProperties(Int)
    case maxProperties(Int)
    case allOf([NodeRef])
    case anyOf([NodeRef])
    case oneOf([NodeRef])
    case not(NodeRef)
    case conditional(Conditional)
    case ref(NodeRef)
    case dynamicRef(DynamicRef)
    case unevaluatedProperties(NodeRef)
    case unevaluatedItems(NodeRef)
}

/// A keyword with the names used in its error reports.
struct CompiledKeyword {
    let keyword: Keyword
    /// The keyword as written (`maximum`); for ``Keyword/members(_:)`` the first of
    /// `properties`/`patternProperties`/`additionalProperties` present.
    let name: String
    /// JSON pointer of the keyword in the schema.
    let schemaPath: String
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
        self.schemas = schemas
        self.namesPath = namesPath
        self.patterns = patterns.map { (regex: $0.0, schema: $0.1) }
        self.patternsPath = patternsPath
        self.additional = additional
        self.additionalPath = additionalPath
        if names.count > 8 {
            var d: [String: Int] = [:]
            for (i, n) in names.enumerated() where d[n] == nil { d[n] = i }
            lookup = d
        } else {
            lookup = nil
        }
    }

    /// The index of the `properties` entry for `key`.
    @inline(__always)
    func index(of key: String) -> Int? {
        if let lookup { return lookup[key] }
        var i = 0
        while i < names.count {
            if names[i] == key { return i }
            i += 1
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
