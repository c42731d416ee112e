/// The properties and items of one instance location that keywords have evaluated
/// successfully, for `unevaluatedProperties` and `unevaluatedItems`. Only created when a
/// schema uses those keywords; everything else validates without it.
final class EvaluationTracker {
    var allProperties = false
    var properties: Set<String> = []
    var allItems = false
    /// Items `0..<itemPrefix` are evaluated.
    var itemPrefix = 0
    /// Further evaluated items (from `contains`).
    var items: Set<Int> = []

    func merge(_ other: EvaluationTracker) {
        if other.allProperties { allProperties = true } else if !other.properties.isEmpty { properties.formUnion(other.properties) }
        if other.allItems { allItems = true }
        itemPrefix = max(itemPrefix, other.itemPrefix)
        if !other.items.isEmpty { items.formUnion(other.items) }
    }

    @inline(__always)
    func isEvaluated(property: String) -> Bool { allProperties || properties.contains(property) }

    @inline(__always)
    func isEvaluated(item: Int) -> Bool { allItems || item < itemPrefix || items.contains(item) }
}
