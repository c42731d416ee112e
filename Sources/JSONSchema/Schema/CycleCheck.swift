/// Rejects schemas whose references loop without ever moving into the instance
/// (`{"$ref": "#"}`, `a → b → a`): validating with them could never finish.
///
/// Only edges that apply a subschema to the *same* instance location are followed (`$ref`,
/// `$dynamicRef`, `allOf`, `anyOf`, `oneOf`, `not`, `if`/`then`/`else`, dependent schemas).
/// Recursion through `properties`, `items` and the like is legitimate (a tree) and bounded by
/// the depth of the instance.
enum CycleCheck {
    static func run(root: SchemaNode, nodes: [SchemaNode]) throws(SchemaError) {
        // Dynamic references may land on any dynamic anchor of the same name.
        var anchored: [String: [SchemaNode]] = [:]
        for node in nodes {
            for (name, target) in node.resource.dynamicAnchors where anchored[name]?.contains(where: { $0 === target.node }) != true {
                anchored[name, default: []].append(target.node)
            }
        }
        var state: [ObjectIdentifier: UInt8] = [:]  // 1 = on the current path, 2 = done
        for start in nodes where state[ObjectIdentifier(start)] == nil {
            var stack: [(node: SchemaNode, edges: [(SchemaNode, String)], next: Int)] = [(start, edges(of: start, anchored), 0)]
            state[ObjectIdentifier(start)] = 1
            while !stack.isEmpty {
                let top = stack.count - 1
                if stack[top].next == stack[top].edges.count {
                    state[ObjectIdentifier(stack[top].node)] = 2
                    stack.removeLast()
                    continue
                }
                let (target, keywordPath) = stack[top].edges[stack[top].next]
                stack[top].next += 1
                switch state[ObjectIdentifier(target)] {
                case 1:
                    throw SchemaError(code: .referenceCycle, path: keywordPath,
                                      message: "this reference leads back to '\(target.schemaPath.isEmpty ? "#" : target.schemaPath)' without descending into the instance, so validation would never end")
                case 2:
                    continue
                default:
                    state[ObjectIdentifier(target)] = 1
                    stack.append((target, edges(of: target, anchored), 0))
                }
            }
        }
    }

    private static func edges(of node: SchemaNode, _ anchored: [String: [SchemaNode]]) -> [(SchemaNode, String)] {
        var out: [(SchemaNode, String)] = []
        for (k, info) in zip(node.keywords, node.keywordInfo) {
            switch k {
            case .ref(let t): out.append((t.node, info.schemaPath))
            case .dynamicRef(let ref):
                let d = ref.object
                out.append((d.fallback.node, info.schemaPath))
                for t in anchored[d.anchor] ?? [] { out.append((t, info.schemaPath)) }
            case .allOf(let l), .anyOf(let l), .oneOf(let l): out += l.object.nodes.map { ($0.node, info.schemaPath) }
            case .not(let t): out.append((t.node, info.schemaPath))
            case .conditional(let ref):
                let c = ref.object
                out.append((c.condition.node, info.schemaPath))
                if let t = c.then { out.append((t.node, info.schemaPath)) }
                if let e = c.otherwise { out.append((e.node, info.schemaPath)) }
            case .dependentSchemas(let d): out += d.object.dependencies.map { ($0.1.node, info.schemaPath) }
            default: break
            }
        }
        return out
    }
}
