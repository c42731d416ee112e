/// The result of compiling a schema: every node and resource, owned here, and the root.
final class CompiledSchema: @unchecked Sendable {
    // Immutable after compilation; nodes reference each other without retaining, so this
    // object keeps them all alive.
    let nodes: [SchemaNode]
    let resources: [SchemaResource]
    let root: SchemaNode
    /// Keyword payloads, referenced by keywords without retaining.
    let payloads: [AnyObject]
    /// Whether any `$dynamicRef` depends on the dynamic scope.
    let tracksDynamicScope: Bool

    init(nodes: [SchemaNode], resources: [SchemaResource], root: SchemaNode, payloads: [AnyObject], tracksDynamicScope: Bool) {
        self.payloads = payloads
        self.nodes = nodes
        self.resources = resources
        self.root = root
        self.tracksDynamicScope = tracksDynamicScope
    }
}
