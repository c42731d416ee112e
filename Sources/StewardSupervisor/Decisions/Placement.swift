import StewardCore

/// Where each replica of a service runs: a pure function of the service, the nodes and the
/// service's current assignment (no I/O, no clock), like ``ServiceSupervision``.
///
/// The rules:
/// - Eligible nodes are the available ones that are named in `placement.nodes` (when given) and
///   carry every `placement.nodeSelector` label.
/// - A replica whose current node is still eligible and within the limits below stays there
///   (replica indices are kept, lowest index first), so a stable answer moves nothing.
/// - The other replicas are placed lowest index first, each on the eligible node with room that
///   runs the fewest instances of this service (spread), ties broken by the most free memory
///   (unknown capacity counts as unlimited), then by name.
/// - Limits per node: at most `maxPerNode` instances; with an `exclusive` name at most one, and
///   none where another service claims the name; with a fixed port at most one, and none where
///   another service listens on it; with a `memoryReservation`, the capacity minus what other
///   services and this service's instances there reserve must cover one more.
/// - A replica that fits nowhere is unschedulable with a reason naming what to change.
public struct PlacementDecision: Sendable, Hashable {
    /// The node of each placeable replica.
    public var assignments: [Int: String] = [:]
    /// Why each other replica cannot be placed, as `Unschedulable: <what blocks it>`.
    public var unschedulable: [Int: String] = [:]

    public init(assignments: [Int: String] = [:], unschedulable: [Int: String] = [:]) {
        self.assignments = assignments
        self.unschedulable = unschedulable
    }

    /// The reasons of ``unschedulable`` start with this.
    public static let unschedulableReason = "Unschedulable"

    /// The placed replica indices, ascending.
    public var placedReplicas: [Int] { assignments.keys.sorted() }

    /// The replica indices placed on `node`, ascending.
    public func replicas(on node: String) -> [Int] {
        assignments.filter { $0.value == node }.keys.sorted()
    }

    /// Places the replicas `0..<service.replicas` of `service` on `nodes`, keeping those of
    /// `current` (replica → node name) that may stay. Entries of `current` for replicas above
    /// the count are dropped. Of nodes with the same name, the first counts.
    public static func decide(
        service: PlacementService, nodes: [PlacementNode], current: [Int: String] = [:]
    ) -> PlacementDecision {
        guard service.replicas > 0 else { return PlacementDecision() }
        var byName: [String: PlacementNode] = [:]
        for node in nodes where byName[node.name] == nil { byName[node.name] = node }
        let known = byName.values.sorted { $0.name < $1.name }
        let eligible = known.filter { isEligible($0, for: service) }

        var decision = PlacementDecision()
        guard !eligible.isEmpty else {
            let reason = "\(unschedulableReason): \(noEligibleNode(service: service, known: known))"
            for replica in 0..<service.replicas { decision.unschedulable[replica] = reason }
            return decision
        }
        let eligibleByName = Dictionary(uniqueKeysWithValues: eligible.map { ($0.name, $0) })
        var counts: [String: Int] = [:]

        // Keep what may stay.
        for replica in 0..<service.replicas {
            guard let name = current[replica], let node = eligibleByName[name],
                blocker(node, service: service, count: counts[name, default: 0]) == nil
            else { continue }
            decision.assignments[replica] = name
            counts[name, default: 0] += 1
        }
        // Place the rest.
        var blocked: String?
        for replica in 0..<service.replicas where decision.assignments[replica] == nil {
            if let blocked {
                decision.unschedulable[replica] = blocked
                continue
            }
            let best = eligible.filter { blocker($0, service: service, count: counts[$0.name, default: 0]) == nil }
                .min { a, b in
                    let (ca, cb) = (counts[a.name, default: 0], counts[b.name, default: 0])
                    if ca != cb { return ca < cb }
                    let (fa, fb) = (free(a, service: service, count: ca), free(b, service: service, count: cb))
                    if fa != fb { return (fa ?? .max) > (fb ?? .max) }
                    return a.name < b.name
                }
            if let best {
                decision.assignments[replica] = best.name
                counts[best.name, default: 0] += 1
            } else {
                // Nothing changes for the replicas after this one: the same reason holds.
                let reason = "\(unschedulableReason): \(noRoom(eligible: eligible, counts: counts, service: service))"
                decision.unschedulable[replica] = reason
                blocked = reason
            }
        }
        return decision
    }

    /// The replicas `node` may run when it is the only node (the in-process supervisor knows only
    /// its own): ``decide(service:nodes:current:)`` with this one node, `running` being the
    /// replica indices it runs now (kept when they may stay). Read the answer with
    /// ``placedReplicas``; the others are in ``unschedulable`` with their reasons.
    public static func forNode(_ node: PlacementNode, service: PlacementService, running: Set<Int> = []) -> PlacementDecision {
        decide(service: service, nodes: [node], current: Dictionary(uniqueKeysWithValues: running.map { ($0, node.name) }))
    }

    // MARK: rules

    /// Available, named in `placement.nodes` (when given) and matching `nodeSelector`.
    static func isEligible(_ node: PlacementNode, for service: PlacementService) -> Bool {
        node.available && (service.placement.nodes?.contains(node.name) ?? true) && node.matches(service.placement.nodeSelector)
    }

    /// Why one more instance of `service` cannot go on `node`, which runs `count` of them.
    enum Blocker: Hashable {
        case exclusiveHeldByOthers
        case portTakenByOthers
        /// `count` reached ``PlacementService/limitPerNode``.
        case full
        /// The free bytes (at most 0 below the reservation).
        case memory(free: Int64)
    }

    static func blocker(_ node: PlacementNode, service: PlacementService, count: Int) -> Blocker? {
        if let name = service.placement.exclusive, node.exclusiveClaimedByOthers.contains(name) { return .exclusiveHeldByOthers }
        if let port = service.fixedPort, node.portsTakenByOthers.contains(port) { return .portTakenByOthers }
        if let limit = service.limitPerNode, count >= limit { return .full }
        if let needed = service.memoryReservation, needed > 0, let free = free(node, service: service, count: count), free < needed {
            return .memory(free: free)
        }
        return nil
    }

    /// The bytes left on `node` with `count` instances of `service` there; nil when unlimited.
    static func free(_ node: PlacementNode, service: PlacementService, count: Int) -> Int64? {
        guard let capacity = node.memoryCapacity else { return nil }
        let own = Int64(count).multipliedReportingOverflow(by: max(0, service.memoryReservation ?? 0))
        let reserved = node.memoryReservedByOthers.addingReportingOverflow(own.overflow ? .max : own.partialValue)
        return reserved.overflow ? .min : capacity - reserved.partialValue
    }

    // MARK: reasons

    /// Why no node is eligible at all.
    static func noEligibleNode(service: PlacementService, known: [PlacementNode]) -> String {
        let selector = service.placement.nodeSelector
        let selectorText = selector.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        if let names = service.placement.nodes {
            guard !names.isEmpty else { return "placement.nodes is empty: name at least one node" }
            let named = Set(names)
            let knownNamed = known.filter { named.contains($0.name) }
            let unknown = named.subtracting(knownNamed.map(\.name))
            let mismatched = knownNamed.filter { !$0.matches(selector) }.map(\.name)
            let unavailable = (knownNamed.filter { $0.matches(selector) }.map(\.name) + unknown).sorted()
            if unavailable.isEmpty {
                return "none of the nodes \(list(mismatched)) named in placement.nodes matches nodeSelector \(selectorText)"
            }
            let also = mismatched.isEmpty ? "" : " (and \(list(mismatched)) do not match nodeSelector \(selectorText))"
            return "nodes \(list(unavailable)) named in placement.nodes are not available\(also)"
        }
        if !selector.isEmpty {
            let matching = known.filter { $0.matches(selector) }.map(\.name)
            if matching.isEmpty { return "no node matches nodeSelector \(selectorText)" }
            return "nodes \(list(matching)) matching nodeSelector \(selectorText) are not available"
        }
        if known.isEmpty { return "no node is known" }
        return "no node is available (nodes \(list(known.map(\.name))) are not)"
    }

    /// Why none of the eligible nodes takes one more instance.
    static func noRoom(eligible: [PlacementNode], counts: [String: Int], service: PlacementService) -> String {
        let blockers = eligible.map { node in
            (node.name, blocker(node, service: service, count: counts[node.name, default: 0]) ?? .full)
        }
        let nodes = eligible.count == 1 ? "1 node" : "\(eligible.count) nodes"
        let forReplicas = "\(nodes) for \(service.replicas) replica\(service.replicas == 1 ? "" : "s")"
        let kinds = Set(blockers.map { $0.1 })
        let full = blockers.filter { $0.1 == .full }.map { $0.0 }

        let frees = blockers.compactMap { (_, blocker) -> Int64? in
            if case .memory(let free) = blocker { return free }
            return nil
        }
        if frees.count == blockers.count, let needed = service.memoryReservation {
            let most = frees.max() ?? 0
            return "not enough memory: needs \(SpecValues.formatMemory(needed)) reserved, the most free on an eligible node is \(SpecValues.formatMemory(max(0, most)))"
        }
        if kinds == [.full] {
            if let max = service.placement.maxPerNode, max == service.limitPerNode { return "maxPerNode \(max) and \(forReplicas)" }
            if let name = service.placement.exclusive { return "exclusive '\(name)' allows one instance per node and \(forReplicas)" }
            return "port \(service.fixedPort ?? 0) allows one instance per node and \(forReplicas)"
        }
        // Held by other services everywhere, or by them on some nodes and by this service on the others.
        let claims: [(Blocker, String)] = [
            (Blocker.exclusiveHeldByOthers, "exclusive '\(service.placement.exclusive ?? "")' is held"),
            (.portTakenByOthers, "port \(service.fixedPort ?? 0) is taken"),
        ]
        for (kind, what) in claims where kinds.contains(kind) && kinds.isSubset(of: [kind, .full]) {
            if full.isEmpty { return "\(what) on every eligible node" }
            let others = blockers.filter { $0.1 == kind }.map { $0.0 }
            return "\(what) on every eligible node: by other services on \(list(others)), by this service on \(list(full))"
        }
        let each = blockers.prefix(listLimit).map { name, blocker in "\(name): \(describe(blocker, service: service))" }
        let more = blockers.count > listLimit ? "; and \(blockers.count - listLimit) more" : ""
        return "no eligible node has room: \(each.joined(separator: "; "))\(more)"
    }

    static func describe(_ blocker: Blocker, service: PlacementService) -> String {
        switch blocker {
        case .exclusiveHeldByOthers:
            return "exclusive '\(service.placement.exclusive ?? "")' is held by another service"
        case .portTakenByOthers:
            return "port \(service.fixedPort ?? 0) is taken by another service"
        case .full:
            if let max = service.placement.maxPerNode, max == service.limitPerNode { return "maxPerNode \(max) reached" }
            if let name = service.placement.exclusive { return "exclusive '\(name)' allows one instance per node, one runs here" }
            return "port \(service.fixedPort ?? 0) allows one instance per node, one runs here"
        case .memory(let free):
            return "needs \(SpecValues.formatMemory(service.memoryReservation ?? 0)) reserved, \(SpecValues.formatMemory(max(0, free))) free"
        }
    }

    /// At most this many nodes are named in one reason.
    static let listLimit = 5

    /// `[a, b, c]`, at most ``listLimit`` names then `and N more`.
    static func list(_ names: [String]) -> String {
        let shown = names.prefix(listLimit).joined(separator: ", ")
        return names.count > listLimit ? "[\(shown) and \(names.count - listLimit) more]" : "[\(shown)]"
    }
}
