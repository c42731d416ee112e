import StewardCore

/// The service being placed, reduced to what placement needs.
public struct PlacementService: Sendable, Hashable {
    public var namespace: String
    public var name: String
    /// How many replicas to place (indices `0..<replicas`); 0 places none.
    public var replicas: Int
    /// Where instances may run.
    public var placement: ProcessDeploymentSpec.Placement
    /// The bytes each instance reserves on its node; nil or 0 reserves nothing.
    public var memoryReservation: Int64?
    /// The port every instance listens on (`spec.port` above 0); nil when none or one is picked
    /// per instance. Two instances cannot listen on one port, so it allows one instance per node.
    public var fixedPort: Int?

    public init(
        namespace: String, name: String, replicas: Int, placement: ProcessDeploymentSpec.Placement = .init(),
        memoryReservation: Int64? = nil, fixedPort: Int? = nil
    ) {
        self.namespace = namespace
        self.name = name
        self.replicas = max(0, replicas)
        self.placement = placement
        self.memoryReservation = memoryReservation
        self.fixedPort = fixedPort.flatMap { $0 > 0 ? $0 : nil }
    }

    /// The service `desired` describes: its wanted replicas (none when disabled), placement,
    /// memory reservation and fixed port.
    public init(_ desired: DesiredService) {
        self.init(
            namespace: desired.namespace, name: desired.name, replicas: desired.wantedReplicas,
            placement: desired.spec.placement, memoryReservation: desired.spec.memoryReservation,
            fixedPort: desired.spec.port)
    }

    /// The most instances of this service one node may run: `maxPerNode`, and 1 with an
    /// `exclusive` name or a fixed port; nil when unlimited.
    public var limitPerNode: Int? {
        var limit = placement.maxPerNode
        if placement.exclusive != nil || fixedPort != nil { limit = min(limit ?? 1, 1) }
        return limit
    }
}
