/// Compiles a schema (and whatever it references) into ``SchemaNode``s, checking every
/// keyword's value on the way: a schema that is not valid is rejected here, never at
/// validation time.
///
/// Compilation is iterative (a work list of locations), so long `$ref` chains and deep schemas
/// do not exhaust the stack; each location is compiled once and shared by all references to it.
final class SchemaCompiler {
    private let index: SchemaIndex
    private let formatAssertion: Bool
    private let allowsExponentialPatterns: Bool
    private var nodes: [SchemaLocation: SchemaNode] = [:]
    private var allNodes: [SchemaNode] = []
    private var resources: [String: SchemaResource] = [:]
    private var pending: [SchemaLocation] = []
    private var regexCache: [String: ECMARegex] = [:]
    private var tracksDynamicScope = false
    private var payloads: [AnyObject] = []

    /// Keeps a keyword payload alive for the life of the compiled schema.
    private func keep<T: AnyObject>(_ object: T) -> Unowned<T> {
        payloads.append(object)
        return Unowned(object)
    }

    init(registry: SchemaRegistry, defaultDialect: Dialect, formatAssertion: Bool, allowsExponentialPatterns: Bool = false) {
        self.index = SchemaIndex(registry: registry, defaultDialect: defaultDialect)
        self.formatAssertion = formatAssertion
        self.allowsExponentialPatterns = allowsExponentialPatterns
    }

    func compile(_ schema: JSON) throws(SchemaError) -> CompiledSchema {
        let document = try index.addDocument(schema, uri: SchemaIndex.defaultBaseURI, displayPrefix: "",
                                             dialect: DialectSettings(dialect: index.defaultDialect))
        let root = node(at: SchemaLocation(document: document, pointer: ""))
        try drain()
        if tracksDynamicScope {
            // Every resource's dynamic anchors must be compiled for run-time lookup.
            var done = 0
            while done < resources.count {
                done = resources.count
                for resource in Array(resources.values) {
                    for (name, location) in index.dynamicAnchors[resource.uri] ?? [:] where resource.dynamicAnchors[name] == nil {
                        resource.dynamicAnchors[name] = NodeRef(node(at: location))
                    }
                }
                try drain()
            }
        }
        try CycleCheck.run(root: root, nodes: allNodes)
        return CompiledSchema(nodes: allNodes, resources: Array(resources.values), root: root,
                              payloads: payloads, tracksDynamicScope: tracksDynamicScope)
    }

    private func drain() throws(SchemaError) {
        while let location = pending.popLast() {
            try fill(nodes[location]!, at: location)
        }
    }

    /// The node for a location, created empty and queued for compilation on first use.
    private func node(at location: SchemaLocation) -> SchemaNode {
        if let existing = nodes[location] { return existing }
        let scope = index.scope(at: location)
        let resource: SchemaResource
        if let r = resources[scope.resource] {
            resource = r
        } else {
            resource = SchemaResource(uri: scope.resource)
            resources[scope.resource] = resource
        }
        let node = SchemaNode(resource: resource, schemaPath: index.displayPath(location))
        nodes[location] = node
        allNodes.append(node)
        pending.append(location)
        return node
    }

    // MARK: - Keywords

    private func fill(_ node: SchemaNode, at location: SchemaLocation) throws(SchemaError) {
        guard let json = index.value(at: location) else {
            throw SchemaError(code: .unresolvedReference, path: node.schemaPath, message: "no schema at this location")
        }
        switch json {
        case .bool(true):
            node.kind = .alwaysValid
        case .bool(false):
            node.kind = .alwaysInvalid
        case .object(let o):
            var builder = KeywordBuilder(compiler: self, object: o, location: location, scope: index.scope(at: location),
                                         path: node.schemaPath)
            try builder.build()
            node.setKeywords(builder.keywords.map(\.keyword))
            node.keywordInfo = builder.keywords.map(\.info)
            node.tracksEvaluation = builder.tracksEvaluation
            node.defaultValue = builder.defaultValue
            if builder.keywords.isEmpty { node.kind = .alwaysValid }
        default:
            throw SchemaError(code: .invalidKeyword, path: node.schemaPath,
                              message: "a schema must be an object or a boolean, got \(json.typeName)")
        }
    }

    /// Reads the keywords of one schema object.
    private struct KeywordBuilder {
        let compiler: SchemaCompiler
        let object: JSONObject
        let location: SchemaLocation
        let scope: SchemaIndex.Scope
        let path: String
        var keywords: [(keyword: Keyword, info: KeywordInfo)] = []
        var tracksEvaluation = false
        var defaultValue: JSON?

        init(compiler: SchemaCompiler, object: JSONObject, location: SchemaLocation, scope: SchemaIndex.Scope, path: String) {
            self.compiler = compiler
            self.object = object
            self.location = location
            self.scope = scope
            self.path = path
        }

        var draft7: Bool { scope.dialect.dialect == .draft7 }

        func keywordPath(_ k: String) -> String { JSONPointer.appending(path, k) }

        func invalid(_ k: String, _ message: String) -> SchemaError {
            SchemaError(code: .invalidKeyword, path: keywordPath(k), message: "'\(k)' \(message)")
        }

        mutating func add(_ keyword: Keyword, _ name: String) {
            keywords.append((keyword, KeywordInfo(name: name, schemaPath: keywordPath(name))))
        }

        func child(_ k: String) -> NodeRef {
            NodeRef(compiler.node(at: SchemaLocation(document: location.document, pointer: JSONPointer.appending(location.pointer, k))))
        }

        func child(_ k: String, _ sub: String) -> NodeRef {
            let p = JSONPointer.appending(JSONPointer.appending(location.pointer, k), sub)
            return NodeRef(compiler.node(at: SchemaLocation(document: location.document, pointer: p)))
        }

        func child(_ k: String, _ i: Int) -> NodeRef {
            let p = JSONPointer.appending(JSONPointer.appending(location.pointer, k), i)
            return NodeRef(compiler.node(at: SchemaLocation(document: location.document, pointer: p)))
        }

        /// The value of `k` when it must be a schema.
        func schema(_ k: String) throws(SchemaError) -> NodeRef? {
            guard let v = object[k] else { return nil }
            try requireSchema(v, k)
            return child(k)
        }

        func requireSchema(_ v: JSON, _ k: String) throws(SchemaError) {
            switch v {
            case .object, .bool: return
            default: throw invalid(k, "must be a schema (an object or a boolean), got \(v.typeName)")
            }
        }

        func schemaList(_ k: String) throws(SchemaError) -> [NodeRef]? {
            guard let v = object[k] else { return nil }
            guard case .array(let list) = v, !list.isEmpty else { throw invalid(k, "must be a non-empty array of schemas") }
            var out: [NodeRef] = []
            for (i, item) in list.enumerated() {
                try requireSchema(item, "\(k)/\(i)")
                out.append(child(k, i))
            }
            return out
        }

        func schemaMap(_ k: String) throws(SchemaError) -> [(String, NodeRef)]? {
            guard let v = object[k] else { return nil }
            guard case .object(let m) = v else { throw invalid(k, "must be an object whose values are schemas, got \(v.typeName)") }
            var out: [(String, NodeRef)] = []
            for (name, sub) in m {
                switch sub {
                case .object, .bool: out.append((name, child(k, name)))
                default: throw invalid(k, "member '\(name)' must be a schema, got \(sub.typeName)")
                }
            }
            return out
        }

        func count(_ k: String) throws(SchemaError) -> Int? {
            guard let v = object[k] else { return nil }
            switch v {
            case .int(let i) where i >= 0: return i
            case .double(let d) where d >= 0 && d.rounded(.towardZero) == d: return d >= 9.0e18 ? Int.max : Int(d)
            case .decimal(let d) where !d.isNegative && d.isInteger: return Int.max
            default: throw invalid(k, "must be a non-negative integer, got \(ErrorText.value(v))")
            }
        }

        func number(_ k: String) throws(SchemaError) -> JSON? {
            guard let v = object[k] else { return nil }
            guard v.isNumber else { throw invalid(k, "must be a number, got \(v.typeName)") }
            return v
        }

        func stringList(_ k: String, _ v: JSON) throws(SchemaError) -> [String] {
            guard case .array(let list) = v else { throw invalid(k, "must be an array of strings, got \(v.typeName)") }
            var out: [String] = []
            for item in list {
                guard case .string(let s) = item else { throw invalid(k, "must be an array of strings, but contains \(ErrorText.value(item))") }
                out.append(s)
            }
            return out
        }

        func regex(_ pattern: String, _ k: String) throws(SchemaError) -> ECMARegex {
            if let cached = compiler.regexCache[pattern] { return cached }
            let r: ECMARegex
            do {
                r = try ECMARegex(pattern)
            } catch {
                throw SchemaError(code: .invalidRegex, path: keywordPath(k),
                                  message: "'\(k)' is not a valid regular expression: \(error.description)")
            }
            if !compiler.allowsExponentialPatterns, r.backtracksExponentially {
                throw SchemaError(
                    code: .invalidRegex, path: keywordPath(k),
                    message: "'\(k)' pattern '\(pattern)' can take exponential time to match: it has backreferences or lookaround, so it runs on the backtracking matcher, and one of its repetitions can match the same text in more than one way (as in (a|a)* or (a+)+); make the repetition unambiguous or drop the backreference or lookaround")
            }
            compiler.regexCache[pattern] = r
            return r
        }

        func resolve(_ k: String) throws(SchemaError) -> (SchemaLocation, URIReference)? {
            guard let v = object[k] else { return nil }
            guard case .string(let text) = v else { throw invalid(k, "must be a URI reference string, got \(v.typeName)") }
            guard let ref = URIReference(text) else {
                throw SchemaError(code: .invalidURI, path: keywordPath(k), message: "'\(k)' value '\(text)' is not a URI reference")
            }
            let absolute = ref.resolved(against: scope.base)
            guard let target = try compiler.index.locate(absolute, dialect: DialectSettings(dialect: scope.dialect.dialect)) else {
                throw SchemaError(code: .unresolvedReference, path: keywordPath(k),
                                  message: "'\(k)' '\(text)' (resolved to '\(absolute)') does not point to any known schema")
            }
            return (target, absolute)
        }

        mutating func build() throws(SchemaError) {
            if draft7, object["$ref"] != nil {
                // draft-07: `$ref` overrides all sibling keywords.
                if let (target, _) = try resolve("$ref") {
                    add(.ref(NodeRef(compiler.node(at: target))), "$ref")
                }
                return
            }
            defaultValue = object["default"]
            if scope.dialect.validationVocabulary { try buildAssertions() }
            if let v = object["format"] {
                guard case .string(let f) = v else { throw invalid("format", "must be a string, got \(v.typeName)") }
                if compiler.formatAssertion || scope.dialect.formatAssertionVocabulary {
                    add(.format(compiler.keep(FormatAssertion(name: f))), "format")
                }
            }
            try buildApplicators()
            if let (target, _) = try resolve("$ref") {
                add(.ref(NodeRef(compiler.node(at: target))), "$ref")
            }
            if !draft7, let (target, absolute) = try resolve("$dynamicRef") {
                let targetNode = compiler.node(at: target)
                if let fragment = absolute.fragment, !fragment.isEmpty, !fragment.hasPrefix("/"),
                   case .object(let t)? = compiler.index.value(at: target), t["$dynamicAnchor"] == .string(fragment) {
                    compiler.tracksDynamicScope = true
                    add(.dynamicRef(compiler.keep(DynamicRef(anchor: fragment, fallback: NodeRef(targetNode)))), "$dynamicRef")
                } else {
                    add(.ref(NodeRef(targetNode)), "$dynamicRef")
                }
            }
            if !draft7 {
                if let s = try schema("unevaluatedItems") {
                    add(.unevaluatedItems(s), "unevaluatedItems")
                    tracksEvaluation = true
                }
                if let s = try schema("unevaluatedProperties") {
                    add(.unevaluatedProperties(s), "unevaluatedProperties")
                    tracksEvaluation = true
                }
            }
        }

        private mutating func buildAssertions() throws(SchemaError) {
            if let v = object["type"] {
                var mask: UInt8 = 0
                let names: [JSON]
                switch v {
                case .string: names = [v]
                case .array(let a) where !a.isEmpty: names = a
                default: throw invalid("type", "must be a type name or a non-empty array of type names, got \(ErrorText.value(v))")
                }
                for n in names {
                    guard case .string(let s) = n, let bit = TypeSet.bit(named: s) else {
                        throw invalid("type", "must name types among array, boolean, integer, null, number, object, string; got \(ErrorText.value(n))")
                    }
                    mask |= bit
                }
                add(.type(TypeSet(mask: mask)), "type")
            }
            if let v = object["enum"] {
                guard case .array(let values) = v else { throw invalid("enum", "must be an array, got \(v.typeName)") }
                add(.enumeration(compiler.keep(EnumValues(values))), "enum")
            }
            if let v = object["const"] { add(.constant(compiler.keep(JSONBox(v))), "const") }
            if let v = try number("minimum") { add(.minimum(compiler.keep(NumberLimit(v))), "minimum") }
            if let v = try number("maximum") { add(.maximum(compiler.keep(NumberLimit(v))), "maximum") }
            if let v = try number("exclusiveMinimum") { add(.exclusiveMinimum(compiler.keep(NumberLimit(v))), "exclusiveMinimum") }
            if let v = try number("exclusiveMaximum") { add(.exclusiveMaximum(compiler.keep(NumberLimit(v))), "exclusiveMaximum") }
            if let v = try number("multipleOf") {
                guard let m = MultipleOf(v) else { throw invalid("multipleOf", "must be greater than 0, got \(ErrorText.value(v))") }
                add(.multipleOf(compiler.keep(m)), "multipleOf")
            }
            if let n = try count("minLength"), n > 0 { add(.minLength(n), "minLength") }
            if let n = try count("maxLength") { add(.maxLength(n), "maxLength") }
            if let v = object["pattern"] {
                guard case .string(let p) = v else { throw invalid("pattern", "must be a string, got \(v.typeName)") }
                add(.pattern(compiler.keep(RegexBox(try regex(p, "pattern")))), "pattern")
            }
            if let n = try count("minItems"), n > 0 { add(.minItems(n), "minItems") }
            if let n = try count("maxItems") { add(.maxItems(n), "maxItems") }
            if let v = object["uniqueItems"] {
                guard case .bool(let b) = v else { throw invalid("uniqueItems", "must be a boolean, got \(v.typeName)") }
                if b { add(.uniqueItems, "uniqueItems") }
            }
            if let v = object["required"] {
                let names = try stringList("required", v)
                if !names.isEmpty { add(.required(compiler.keep(NameList(names))), "required") }
            }
            if let n = try count("minProperties"), n > 0 { add(.minProperties(n), "minProperties") }
            if let n = try count("maxProperties") { add(.maxProperties(n), "maxProperties") }
            if !draft7, let v = object["dependentRequired"] {
                guard case .object(let m) = v else { throw invalid("dependentRequired", "must be an object, got \(v.typeName)") }
                var deps: [(String, [String])] = []
                for (k, names) in m { deps.append((k, try stringList("dependentRequired", names))) }
                if !deps.isEmpty { add(.dependentRequired(compiler.keep(DependentRequired(deps))), "dependentRequired") }
            }
        }

        private mutating func buildApplicators() throws(SchemaError) {
            // Arrays.
            if draft7 {
                if let v = object["items"] {
                    if case .array(let list) = v {
                        var prefix: [NodeRef] = []
                        for (i, item) in list.enumerated() {
                            try requireSchema(item, "items/\(i)")
                            prefix.append(child("items", i))
                        }
                        let rest = try schema("additionalItems")
                        add(.items(compiler.keep(ArrayItems(prefix: prefix, prefixKeyword: "items", prefixPath: keywordPath("items"),
                                              rest: rest, restKeyword: "additionalItems", restPath: keywordPath("additionalItems")))), "items")
                    } else {
                        try requireSchema(v, "items")
                        add(.items(compiler.keep(ArrayItems(prefix: [], prefixKeyword: "items", prefixPath: keywordPath("items"),
                                              rest: child("items"), restKeyword: "items", restPath: keywordPath("items")))), "items")
                    }
                }
            } else {
                let prefix = try schemaList("prefixItems") ?? []
                let rest = try schema("items")
                if !prefix.isEmpty || rest != nil {
                    add(.items(compiler.keep(ArrayItems(prefix: prefix, prefixKeyword: "prefixItems", prefixPath: keywordPath("prefixItems"),
                                          rest: rest, restKeyword: "items", restPath: keywordPath("items")))),
                        prefix.isEmpty ? "items" : "prefixItems")
                }
            }
            if let contains = try schema("contains") {
                var minimum = 1
                var maximum: Int?
                if !draft7 {
                    if scope.dialect.validationVocabulary {
                        minimum = try count("minContains") ?? 1
                        maximum = try count("maxContains")
                    }
                }
                add(.contains(compiler.keep(Contains(schema: contains, min: minimum, max: maximum))), "contains")
            }

            // Objects.
            let properties = try schemaMap("properties") ?? []
            var patterns: [(ECMARegex, NodeRef)] = []
            if let v = object["patternProperties"] {
                guard case .object(let m) = v else { throw invalid("patternProperties", "must be an object, got \(v.typeName)") }
                for (p, sub) in m {
                    try requireSchema(sub, "patternProperties/\(p)")
                    patterns.append((try regex(p, "patternProperties"), child("patternProperties", p)))
                }
            }
            let additional = try schema("additionalProperties")
            if !properties.isEmpty || !patterns.isEmpty || additional != nil {
                let name = !properties.isEmpty ? "properties" : (!patterns.isEmpty ? "patternProperties" : "additionalProperties")
                add(.members(compiler.keep(ObjectMembers(names: properties.map(\.0), schemas: properties.map(\.1), namesPath: keywordPath("properties"),
                                           patterns: patterns, patternsPath: keywordPath("patternProperties"),
                                           additional: additional, additionalPath: keywordPath("additionalProperties")))), name)
            }
            if let names = try schema("propertyNames") { add(.propertyNames(names), "propertyNames") }
            // draft-07 `dependencies`; 2020-12 split it in two but still honours the old form.
            do {
                if let v = object["dependencies"] {
                    guard case .object(let m) = v else { throw invalid("dependencies", "must be an object, got \(v.typeName)") }
                    var required: [(String, [String])] = []
                    var schemas: [(String, NodeRef)] = []
                    for (k, dep) in m {
                        switch dep {
                        case .array: required.append((k, try stringList("dependencies", dep)))
                        case .object, .bool: schemas.append((k, child("dependencies", k)))
                        default: throw invalid("dependencies", "member '\(k)' must be an array of names or a schema, got \(dep.typeName)")
                        }
                    }
                    if !required.isEmpty { add(.dependentRequired(compiler.keep(DependentRequired(required))), "dependencies") }
                    if !schemas.isEmpty { add(.dependentSchemas(compiler.keep(DependentSchemas(schemas))), "dependencies") }
                }
            }
            if !draft7, let deps = try schemaMap("dependentSchemas"), !deps.isEmpty {
                add(.dependentSchemas(compiler.keep(DependentSchemas(deps))), "dependentSchemas")
            }

            // Logic.
            if let list = try schemaList("allOf") { add(.allOf(compiler.keep(NodeList(list))), "allOf") }
            if let list = try schemaList("anyOf") { add(.anyOf(compiler.keep(NodeList(list))), "anyOf") }
            if let list = try schemaList("oneOf") { add(.oneOf(compiler.keep(NodeList(list))), "oneOf") }
            if let n = try schema("not") { add(.not(n), "not") }
            if let condition = try schema("if") {
                let then = try schema("then")
                let otherwise = try schema("else")
                if then != nil || otherwise != nil || tracksAnnotationsOfIf {
                    add(.conditional(compiler.keep(Conditional(condition: condition, then: then, otherwise: otherwise))), "if")
                }
            } else {
                if let v = object["then"] { try requireSchema(v, "then") }
                if let v = object["else"] { try requireSchema(v, "else") }
            }
            // Definitions are compiled only when referenced, but their shape is checked now.
            for k in ["$defs", "definitions"] {
                if let v = object[k], case .object = v {} else if let v = object[k] {
                    throw invalid(k, "must be an object, got \(v.typeName)")
                }
            }
        }

        /// `if` without `then`/`else` still contributes annotations for `unevaluated*`.
        private var tracksAnnotationsOfIf: Bool { !draft7 }
    }
}
