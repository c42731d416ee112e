import StewardCore
import Testing

@testable import StewardSupervisor

/// Placement decisions: pure, so each case is a few nodes, a service and the expected answer.
@Suite("Placement: spread, limits, stability and reasons")
struct PlacementTests {
    static let mi: Int64 = 1_048_576

    static func service(
        _ replicas: Int, name: String = "web", port: Int? = nil, memory: Int64? = nil,
        _ configure: (inout ProcessDeploymentSpec.Placement) -> Void = { _ in }
    ) -> PlacementService {
        var placement = ProcessDeploymentSpec.Placement()
        configure(&placement)
        return PlacementService(
            namespace: "default", name: name, replicas: replicas, placement: placement, memoryReservation: memory, fixedPort: port)
    }

    static func nodes(_ names: String...) -> [PlacementNode] { names.map { PlacementNode(name: $0) } }

    // MARK: spread

    @Test("3 replicas over 2 nodes spread 2 + 1, lowest index first, ties by name")
    func spread() {
        let d = PlacementDecision.decide(service: Self.service(3), nodes: Self.nodes("b", "a"))
        #expect(d.assignments == [0: "a", 1: "b", 2: "a"])
        #expect(d.unschedulable.isEmpty)
        #expect(d.replicas(on: "a") == [0, 2])
        #expect(d.replicas(on: "b") == [1])
        #expect(d.placedReplicas == [0, 1, 2])
    }

    @Test("New replicas go to the node with the fewest instances of the service")
    func spreadAroundKept() {
        let d = PlacementDecision.decide(service: Self.service(4), nodes: Self.nodes("a", "b", "c"), current: [0: "a", 1: "a"])
        #expect(d.assignments == [0: "a", 1: "a", 2: "b", 3: "c"])
    }

    @Test("Ties in count go to the node with the most free memory, unknown capacity first")
    func tieByFreeMemory() {
        let nodes = [
            PlacementNode(name: "a", memoryCapacity: 1024 * Self.mi),
            PlacementNode(name: "b", memoryCapacity: 4096 * Self.mi),
            PlacementNode(name: "c", memoryCapacity: 4096 * Self.mi, memoryReservedByOthers: 1024 * Self.mi),
        ]
        #expect(PlacementDecision.decide(service: Self.service(3), nodes: nodes).assignments == [0: "b", 1: "c", 2: "a"])
        let unknown = nodes + [PlacementNode(name: "z")]
        #expect(PlacementDecision.decide(service: Self.service(1), nodes: unknown).assignments == [0: "z"])
    }

    // MARK: maxPerNode

    @Test("maxPerNode 1 with 2 nodes places 2 of 3 replicas; the third is unschedulable")
    func maxPerNode() {
        let d = PlacementDecision.decide(service: Self.service(3) { $0.maxPerNode = 1 }, nodes: Self.nodes("a", "b"))
        #expect(d.assignments == [0: "a", 1: "b"])
        #expect(d.unschedulable == [2: "Unschedulable: maxPerNode 1 and 2 nodes for 3 replicas"])
    }

    @Test("A lowered maxPerNode keeps the lowest replicas and moves the others")
    func maxPerNodeLowered() {
        let d = PlacementDecision.decide(
            service: Self.service(3) { $0.maxPerNode = 1 }, nodes: Self.nodes("a", "b", "c"), current: [0: "a", 1: "a", 2: "b"])
        #expect(d.assignments == [0: "a", 1: "c", 2: "b"])
    }

    // MARK: nodeSelector and nodes

    @Test("nodeSelector: only nodes with every label")
    func nodeSelector() {
        let nodes = [
            PlacementNode(name: "a", labels: ["disk": "hdd"]),
            PlacementNode(name: "b", labels: ["disk": "ssd", "zone": "1"]),
            PlacementNode(name: "c", labels: ["disk": "ssd", "zone": "2"]),
        ]
        let ssd = PlacementDecision.decide(service: Self.service(3) { $0.nodeSelector = ["disk": "ssd"] }, nodes: nodes)
        #expect(ssd.assignments == [0: "b", 1: "c", 2: "b"])
        let both = PlacementDecision.decide(service: Self.service(2) { $0.nodeSelector = ["disk": "ssd", "zone": "2"] }, nodes: nodes)
        #expect(both.assignments == [0: "c", 1: "c"])
    }

    @Test("nodeSelector no node matches: the reason names the selector")
    func nodeSelectorNoMatch() {
        let nodes = [PlacementNode(name: "a", labels: ["disk": "hdd"])]
        let d = PlacementDecision.decide(service: Self.service(2) { $0.nodeSelector = ["disk": "ssd"] }, nodes: nodes)
        #expect(d.assignments.isEmpty)
        #expect(d.unschedulable == [0: "Unschedulable: no node matches nodeSelector disk=ssd", 1: "Unschedulable: no node matches nodeSelector disk=ssd"])
    }

    @Test("nodeSelector matches only unavailable nodes: the reason names them")
    func nodeSelectorUnavailable() {
        let nodes = [PlacementNode(name: "a"), PlacementNode(name: "b", labels: ["disk": "ssd"], available: false)]
        let d = PlacementDecision.decide(service: Self.service(1) { $0.nodeSelector = ["disk": "ssd"] }, nodes: nodes)
        #expect(d.unschedulable == [0: "Unschedulable: nodes [b] matching nodeSelector disk=ssd are not available"])
    }

    @Test("placement.nodes: only the named nodes")
    func nodesByName() {
        let d = PlacementDecision.decide(service: Self.service(3) { $0.nodes = ["c", "b"] }, nodes: Self.nodes("a", "b", "c"))
        #expect(d.assignments == [0: "b", 1: "c", 2: "b"])
    }

    @Test("placement.nodes all unavailable or unknown: the reason lists them")
    func nodesByNameUnavailable() {
        let nodes = [PlacementNode(name: "b", available: false), PlacementNode(name: "c")]
        let d = PlacementDecision.decide(service: Self.service(1) { $0.nodes = ["b", "a"] }, nodes: nodes)
        #expect(d.unschedulable == [0: "Unschedulable: nodes [a, b] named in placement.nodes are not available"])
    }

    @Test("placement.nodes with a nodeSelector none of them matches")
    func nodesByNameAndSelector() {
        let nodes = [PlacementNode(name: "a", labels: ["disk": "hdd"]), PlacementNode(name: "b", labels: ["disk": "ssd"])]
        let d = PlacementDecision.decide(
            service: Self.service(1) {
                $0.nodes = ["a"]
                $0.nodeSelector = ["disk": "ssd"]
            }, nodes: nodes)
        #expect(d.unschedulable == [0: "Unschedulable: none of the nodes [a] named in placement.nodes matches nodeSelector disk=ssd"])
    }

    @Test("No nodes, an empty placement.nodes, no available node")
    func noNodes() {
        #expect(PlacementDecision.decide(service: Self.service(1), nodes: []).unschedulable == [0: "Unschedulable: no node is known"])
        #expect(
            PlacementDecision.decide(service: Self.service(1) { $0.nodes = [] }, nodes: Self.nodes("a")).unschedulable
                == [0: "Unschedulable: placement.nodes is empty: name at least one node"])
        let down = [PlacementNode(name: "b", available: false), PlacementNode(name: "a", available: false)]
        #expect(
            PlacementDecision.decide(service: Self.service(1), nodes: down).unschedulable
                == [0: "Unschedulable: no node is available (nodes [a, b] are not)"])
    }

    // MARK: stability

    @Test("Replicas stay where they are when their node is fine, even if a spread would differ")
    func stability() {
        let current = [0: "b", 1: "b", 2: "a"]
        let d = PlacementDecision.decide(service: Self.service(3), nodes: Self.nodes("a", "b", "c"), current: current)
        #expect(d.assignments == current)
    }

    @Test("The replicas of an unavailable node move to another; the others stay")
    func unavailableNodeMoves() {
        let nodes = [PlacementNode(name: "a", available: false), PlacementNode(name: "b"), PlacementNode(name: "c")]
        let d = PlacementDecision.decide(service: Self.service(3), nodes: nodes, current: [0: "a", 1: "b", 2: "a"])
        #expect(d.assignments == [0: "c", 1: "b", 2: "b"])
        // The node comes back: nothing moves back.
        let back = Self.nodes("a", "b", "c")
        #expect(PlacementDecision.decide(service: Self.service(3), nodes: back, current: d.assignments).assignments == d.assignments)
    }

    @Test("A replica on a node that is gone or no longer selected moves")
    func ineligibleNodeMoves() {
        let d = PlacementDecision.decide(
            service: Self.service(2) { $0.nodes = ["b", "c"] }, nodes: Self.nodes("a", "b", "c"), current: [0: "a", 1: "gone"])
        #expect(d.assignments == [0: "b", 1: "c"])
    }

    @Test("Scaling down drops the replicas above the count and moves nothing")
    func scaleDown() {
        let d = PlacementDecision.decide(service: Self.service(2), nodes: Self.nodes("a", "b"), current: [0: "b", 1: "b", 2: "a"])
        #expect(d.assignments == [0: "b", 1: "b"])
    }

    // MARK: exclusive

    @Test("exclusive between two services on 2 nodes: the second takes the other node only")
    func exclusiveTwoServices() {
        let nodes = Self.nodes("a", "b")
        let db = PlacementDecision.decide(service: Self.service(1, name: "db") { $0.exclusive = "db" }, nodes: nodes)
        #expect(db.assignments == [0: "a"])
        // What the first service holds, as the second sees the nodes.
        let seen = nodes.map { node in
            var node = node
            if !db.replicas(on: node.name).isEmpty { node.exclusiveClaimedByOthers.insert("db") }
            return node
        }
        let replica = PlacementDecision.decide(service: Self.service(2, name: "db-replica") { $0.exclusive = "db" }, nodes: seen)
        #expect(replica.assignments == [0: "b"])
        #expect(replica.unschedulable == [1: "Unschedulable: exclusive 'db' is held on every eligible node: by other services on [a], by this service on [b]"])
    }

    @Test("exclusive held by other services on every eligible node")
    func exclusiveHeldEverywhere() {
        let nodes = ["a", "b"].map { PlacementNode(name: $0, exclusiveClaimedByOthers: ["db"]) }
        let d = PlacementDecision.decide(service: Self.service(1) { $0.exclusive = "db" }, nodes: nodes)
        #expect(d.unschedulable == [0: "Unschedulable: exclusive 'db' is held on every eligible node"])
        // Another name does not collide.
        let other = PlacementDecision.decide(service: Self.service(1) { $0.exclusive = "cache" }, nodes: nodes)
        #expect(other.assignments == [0: "a"])
    }

    @Test("exclusive allows this service one instance per node")
    func exclusiveOnePerNode() {
        let d = PlacementDecision.decide(service: Self.service(3) { $0.exclusive = "db" }, nodes: Self.nodes("a", "b"))
        #expect(d.assignments == [0: "a", 1: "b"])
        #expect(d.unschedulable == [2: "Unschedulable: exclusive 'db' allows one instance per node and 2 nodes for 3 replicas"])
    }

    @Test("A kept replica on a node where another service now holds the exclusive name moves")
    func exclusiveKeptMoves() {
        let nodes = [PlacementNode(name: "a", exclusiveClaimedByOthers: ["db"]), PlacementNode(name: "b")]
        let d = PlacementDecision.decide(service: Self.service(1) { $0.exclusive = "db" }, nodes: nodes, current: [0: "a"])
        #expect(d.assignments == [0: "b"])
    }

    // MARK: memory

    @Test("memoryReservation: a node takes as many as its free memory covers")
    func memoryReservation() {
        let nodes = [PlacementNode(name: "a", memoryCapacity: 1024 * Self.mi, memoryReservedByOthers: 412 * Self.mi)]
        let d = PlacementDecision.decide(service: Self.service(2, memory: 512 * Self.mi), nodes: nodes)
        #expect(d.assignments == [0: "a"])
        #expect(d.unschedulable == [1: "Unschedulable: not enough memory: needs 512Mi reserved, the most free on an eligible node is 100Mi"])
    }

    @Test("memoryReservation fills the node with room and reports the most free of the others")
    func memoryAcrossNodes() {
        let nodes = [
            PlacementNode(name: "a", memoryCapacity: 1024 * Self.mi),
            PlacementNode(name: "b", memoryCapacity: 300 * Self.mi),
            PlacementNode(name: "c", memoryCapacity: 2048 * Self.mi, memoryReservedByOthers: 2048 * Self.mi),
        ]
        let d = PlacementDecision.decide(service: Self.service(3, memory: 512 * Self.mi), nodes: nodes)
        #expect(d.assignments == [0: "a", 1: "a"])
        #expect(d.unschedulable == [2: "Unschedulable: not enough memory: needs 512Mi reserved, the most free on an eligible node is 300Mi"])
    }

    @Test("Unknown capacity counts as unlimited; no reservation ignores capacity")
    func memoryUnknown() {
        let d = PlacementDecision.decide(service: Self.service(3, memory: 512 * Self.mi), nodes: Self.nodes("a"))
        #expect(d.assignments.count == 3)
        let full = [PlacementNode(name: "a", memoryCapacity: 100, memoryReservedByOthers: 200)]
        #expect(PlacementDecision.decide(service: Self.service(2), nodes: full).assignments.count == 2)
    }

    // MARK: fixed port

    @Test("A fixed port allows one instance per node and none where another service listens on it")
    func fixedPort() {
        let nodes = [PlacementNode(name: "a", portsTakenByOthers: [8080]), PlacementNode(name: "b"), PlacementNode(name: "c")]
        let d = PlacementDecision.decide(service: Self.service(3, port: 8080), nodes: nodes)
        #expect(d.assignments == [0: "b", 1: "c"])
        #expect(d.unschedulable == [2: "Unschedulable: port 8080 is taken on every eligible node: by other services on [a], by this service on [b, c]"])
    }

    @Test("A fixed port taken on every eligible node; another port is free")
    func fixedPortTakenEverywhere() {
        let nodes = ["a", "b"].map { PlacementNode(name: $0, portsTakenByOthers: [8080]) }
        #expect(
            PlacementDecision.decide(service: Self.service(1, port: 8080), nodes: nodes).unschedulable
                == [0: "Unschedulable: port 8080 is taken on every eligible node"])
        #expect(PlacementDecision.decide(service: Self.service(1, port: 9090), nodes: nodes).assignments == [0: "a"])
    }

    @Test("Port 0 (one picked per instance) is no limit")
    func pickedPort() {
        let s = Self.service(3, port: 0)
        #expect(s.fixedPort == nil)
        #expect(PlacementDecision.decide(service: s, nodes: Self.nodes("a")).assignments.count == 3)
    }

    @Test("Different blockers on different nodes are listed per node")
    func mixedReasons() {
        let nodes = [
            PlacementNode(name: "a", exclusiveClaimedByOthers: ["db"]),
            PlacementNode(name: "b", memoryCapacity: 100 * Self.mi),
        ]
        let d = PlacementDecision.decide(service: Self.service(1, memory: 512 * Self.mi) { $0.exclusive = "db" }, nodes: nodes)
        #expect(
            d.unschedulable == [
                0: "Unschedulable: no eligible node has room: a: exclusive 'db' is held by another service; b: needs 512Mi reserved, 100Mi free"
            ])
    }

    // MARK: zero replicas, determinism

    @Test("Zero replicas place nothing and report nothing")
    func zeroReplicas() {
        let d = PlacementDecision.decide(service: Self.service(0), nodes: Self.nodes("a"), current: [0: "a"])
        #expect(d == PlacementDecision())
        #expect(PlacementDecision.decide(service: Self.service(0), nodes: []) == PlacementDecision())
    }

    @Test("The same input gives the same answer, whatever the order of the nodes; the answer is stable")
    func determinism() {
        let nodes = [
            PlacementNode(name: "n1", memoryCapacity: 2048 * Self.mi),
            PlacementNode(name: "n2", memoryCapacity: 2048 * Self.mi),
            PlacementNode(name: "n3"),
            PlacementNode(name: "n4", memoryCapacity: 1024 * Self.mi, memoryReservedByOthers: 10 * Self.mi),
        ]
        let s = Self.service(9, memory: 256 * Self.mi) { $0.maxPerNode = 3 }
        let first = PlacementDecision.decide(service: s, nodes: nodes)
        for order in [nodes.reversed(), [nodes[2], nodes[0], nodes[3], nodes[1]], nodes] {
            #expect(PlacementDecision.decide(service: s, nodes: Array(order)) == first)
        }
        #expect(first.unschedulable.isEmpty)
        #expect(PlacementDecision.decide(service: s, nodes: nodes, current: first.assignments) == first)
    }

    // MARK: one node

    @Test("One node: which replicas may run here")
    func oneNode() {
        let node = PlacementNode(name: "here")
        let d = PlacementDecision.forNode(node, service: Self.service(3) { $0.maxPerNode = 2 })
        #expect(d.placedReplicas == [0, 1])
        #expect(d.unschedulable == [2: "Unschedulable: maxPerNode 2 and 1 node for 3 replicas"])
        // What runs is kept.
        let kept = PlacementDecision.forNode(node, service: Self.service(3) { $0.maxPerNode = 2 }, running: [1, 2])
        #expect(kept.placedReplicas == [1, 2])
        #expect(kept.unschedulable.keys.sorted() == [0])
        // Not selected here: nothing runs.
        let other = PlacementDecision.forNode(node, service: Self.service(2) { $0.nodes = ["there"] }, running: [0])
        #expect(other.placedReplicas.isEmpty)
        #expect(other.unschedulable[0] == "Unschedulable: nodes [there] named in placement.nodes are not available")
    }

    @Test("PlacementService from a desired service: a disabled one places no replica")
    func fromDesired() {
        var spec = ProcessDeploymentSpec(command: ["/bin/true"])
        spec.replicas = 3
        spec.port = 8080
        spec.memoryReservation = 64 * Self.mi
        spec.placement.exclusive = "x"
        let desired = DesiredService(namespace: "default", name: "web", uid: "u", generation: 1, spec: spec, template: "t")
        let s = PlacementService(desired)
        #expect(s.replicas == 3 && s.fixedPort == 8080 && s.memoryReservation == 64 * Self.mi && s.placement.exclusive == "x")
        #expect(s.limitPerNode == 1)
        spec.enabled = false
        #expect(PlacementService(DesiredService(namespace: "default", name: "web", uid: "u", generation: 1, spec: spec, template: "t")).replicas == 0)
    }
}
