/// Fills in `default`s (see `docs/json-schema.md`, "Defaults", for the rules).
///
/// In short: a missing member of an object gets the `default` of its `properties` schema; the
/// filling recurses into present and newly inserted members, array items (`prefixItems`,
/// `items`), `$ref`/`$dynamicRef` targets and every `allOf` branch. Branches whose choice
/// depends on validation (`anyOf`, `oneOf`, `if`/`then`/`else`, `not`, `dependentSchemas`)
/// are not used. Present values, `null` included, are never replaced.
struct DefaultsApplier {
    /// Nesting handled on any thread; deeper instances are redone on a ``LargeStack`` thread.
    static let shallowDepthLimit = 192
    /// Nesting handled on a ``LargeStack`` thread; deeper parts are left as they are.
    static let maxDepth = 4_000

    let depthLimit: Int
    /// Set when the nesting passed `depthLimit` on an ordinary thread.
    private(set) var needsLargeStack = false

    init(depthLimit: Int) { self.depthLimit = depthLimit }

    /// Fills defaults into `value`; returns whether anything changed.
    @discardableResult
    mutating func apply(_ node: SchemaNode, to value: inout JSON, depth: Int) -> Bool {
        if depth >= depthLimit || needsLargeStack {
            if depthLimit < Self.maxDepth { needsLargeStack = true }
            return false
        }
        guard case .keywords = node.kind else { return false }
        var changed = false
        for k in node.keywords {
            switch k {
            case .members(let members):
                if applyMembers(members.object, to: &value, depth: depth) { changed = true }
            case .items(let items):
                if applyItems(items.object, to: &value, depth: depth) { changed = true }
            case .ref(let target):
                if apply(target.node, to: &value, depth: depth + 1) { changed = true }
            case .dynamicRef(let ref):
                if apply(ref.object.fallback.node, to: &value, depth: depth + 1) { changed = true }
            case .allOf(let list):
                for branch in list.object.nodes where apply(branch.node, to: &value, depth: depth + 1) { changed = true }
            default:
                break
            }
        }
        return changed
    }

    /// The default a schema gives: its own `default`, else that of the schema its `$ref`
    /// points to, else that of its first `allOf` branch that has one.
    func effectiveDefault(_ node: SchemaNode, depth: Int = 0) -> JSON? {
        if let d = node.defaultValue { return d }
        guard depth < 64, case .keywords = node.kind else { return nil }
        for k in node.keywords {
            switch k {
            case .ref(let target):
                if let d = effectiveDefault(target.node, depth: depth + 1) { return d }
            case .dynamicRef(let ref):
                if let d = effectiveDefault(ref.object.fallback.node, depth: depth + 1) { return d }
            case .allOf(let list):
                for branch in list.object.nodes {
                    if let d = effectiveDefault(branch.node, depth: depth + 1) { return d }
                }
            default:
                break
            }
        }
        return nil
    }

    private mutating func applyMembers(_ members: ObjectMembers, to value: inout JSON, depth: Int) -> Bool {
        guard case .object(var object) = value else { return false }
        value = .null  // keep `object` uniquely referenced while it changes
        var changed = false
        for (i, name) in members.names.enumerated() where object[name] == nil {
            if let d = effectiveDefault(members.schemas[i].node) {
                object[name] = d
                changed = true
            }
        }
        for i in 0..<object.count {
            let key = object.keys[i]
            var member = object.values[i]
            var matched = false
            var memberChanged = false
            if let p = members.index(of: key) {
                matched = true
                if apply(members.schemas[p].node, to: &member, depth: depth + 1) { memberChanged = true }
            }
            for pattern in members.patterns where pattern.regex.matches(key) {
                matched = true
                if apply(pattern.schema.node, to: &member, depth: depth + 1) { memberChanged = true }
            }
            if !matched, let additional = members.additional {
                if apply(additional.node, to: &member, depth: depth + 1) { memberChanged = true }
            }
            if memberChanged {
                object[key] = member
                changed = true
            }
        }
        value = .object(object)
        return changed
    }

    private mutating func applyItems(_ items: ArrayItems, to value: inout JSON, depth: Int) -> Bool {
        guard case .array(var array) = value else { return false }
        value = .null
        var changed = false
        for i in array.indices {
            let schema: NodeRef?
            if i < items.prefix.count { schema = items.prefix[i] } else { schema = items.rest }
            guard let schema else { continue }
            if apply(schema.node, to: &array[i], depth: depth + 1) { changed = true }
        }
        value = .array(array)
        return changed
    }
}
