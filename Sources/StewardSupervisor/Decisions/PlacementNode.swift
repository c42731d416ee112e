/// One node as placement sees it: what it offers and what OTHER services already hold on it.
///
/// The instances of the service being placed are not counted here (they come from the current
/// assignment given to ``PlacementDecision/decide(service:nodes:current:)``), so a decision can
/// keep or move them.
public struct PlacementNode: Sendable, Hashable {
    /// The node's name (unique among the nodes given to one decision).
    public var name: String
    /// The node's labels, matched against `placement.nodeSelector`.
    public var labels: [String: String]
    /// The memory the node offers to reservations, in bytes; nil when unknown (taken as unlimited).
    public var memoryCapacity: Int64?
    /// The node heartbeats; a node that does not (`UNKNOWN`) gets no instance and keeps none.
    public var available: Bool
    /// The bytes reserved (`memoryReservation`) by the instances of other services on this node.
    public var memoryReservedByOthers: Int64
    /// The `placement.exclusive` names claimed by instances of other services on this node.
    public var exclusiveClaimedByOthers: Set<String>
    /// The fixed ports (`spec.port` above 0) the instances of other services listen on here.
    public var portsTakenByOthers: Set<Int>

    public init(
        name: String, labels: [String: String] = [:], memoryCapacity: Int64? = nil, available: Bool = true,
        memoryReservedByOthers: Int64 = 0, exclusiveClaimedByOthers: Set<String> = [], portsTakenByOthers: Set<Int> = []
    ) {
        self.name = name
        self.labels = labels
        self.memoryCapacity = memoryCapacity
        self.available = available
        self.memoryReservedByOthers = memoryReservedByOthers
        self.exclusiveClaimedByOthers = exclusiveClaimedByOthers
        self.portsTakenByOthers = portsTakenByOthers
    }

    /// The node carries every label of `selector` with the same value.
    public func matches(_ selector: [String: String]) -> Bool {
        selector.allSatisfy { labels[$0.key] == $0.value }
    }
}
