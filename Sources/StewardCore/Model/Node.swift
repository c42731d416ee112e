import JSONSchema

/// A machine that runs instances: the node of `steward server`'s own supervisor, or of a
/// `steward agent`. Its supervisor registers it and heartbeats it with what it offers (labels
/// for `placement.nodeSelector`, memory for `memoryReservation`) and what it runs.
public struct Node: Sendable, Equatable {
    /// Unique on the server; chosen by the node (`--node`, default the host name).
    public var name: String
    /// The identity that registered it; only it may heartbeat the node.
    public var identity: String
    /// The labels `placement.nodeSelector` matches (`zone=a`, from `--label`).
    public var labels: [String: String]
    /// The memory the node offers to reservations, in bytes (the machine's memory, or the limit
    /// of the supervisor's cgroup when that is lower); nil when unknown.
    public var memoryCapacity: Int64?
    /// The processors the node has; nil when unknown.
    public var cpus: Int?
    /// The instances its supervisor runs (in every state but stopped and failed).
    public var instances: Int
    /// The Steward version of its supervisor.
    public var version: String
    public var registeredAtMS: Int64
    public var lastHeartbeatAtMS: Int64
    /// The state the server saw when it answered (nil in the store and in a heartbeat).
    public var state: State?

    public init(
        name: String, identity: String = "", labels: [String: String] = [:], memoryCapacity: Int64? = nil, cpus: Int? = nil,
        instances: Int = 0, version: String = "", registeredAtMS: Int64 = 0, lastHeartbeatAtMS: Int64 = 0
    ) {
        self.name = name
        self.identity = identity
        self.labels = labels
        self.memoryCapacity = memoryCapacity
        self.cpus = cpus
        self.instances = instances
        self.version = version
        self.registeredAtMS = registeredAtMS
        self.lastHeartbeatAtMS = lastHeartbeatAtMS
    }

    /// A node heartbeats while its supervisor runs: `Ready`; one that has not within the grace
    /// period is `Unknown` (its agent stopped, or cannot reach the server).
    public enum State: String, Sendable {
        case ready = "Ready"
        case unknown = "Unknown"
    }

    /// The node's state at `nowMS`, given the grace period after its last heartbeat.
    public func currentState(nowMS: Int64, graceMS: Int64) -> State {
        nowMS - lastHeartbeatAtMS <= graceMS ? .ready : .unknown
    }

    /// ``state`` set from the time of the last heartbeat.
    public func withState(nowMS: Int64, graceMS: Int64) -> Node {
        var node = self
        node.state = currentState(nowMS: nowMS, graceMS: graceMS)
        return node
    }

    /// The labels as a JSON object, keys in order.
    public var labelsJSON: JSON {
        .object(JSONObject(labels.sorted { $0.key < $1.key }.map { ($0.key, JSON.string($0.value)) }))
    }

    /// What a heartbeat sends: `{"labels", "memoryCapacity", "cpus", "instances", "version"}`,
    /// the unknown ones left out (the server knows the name from the path and sets the identity and the times).
    public var heartbeatJSON: JSON {
        var o = JSONObject()
        o["labels"] = labelsJSON
        if let memoryCapacity { o["memoryCapacity"] = .int(Int(memoryCapacity)) }
        if let cpus { o["cpus"] = .int(cpus) }
        o["instances"] = .int(instances)
        o["version"] = .string(version)
        return .object(o)
    }

    /// `{"name", "identity", "state", "labels", "memoryCapacity", "cpus", "instances", "version",
    /// "registeredAt", "lastHeartbeatAt"}` (`state` when known).
    public var json: JSON {
        var o = JSONObject()
        o["name"] = .string(name)
        o["identity"] = .string(identity)
        if let state { o["state"] = .string(state.rawValue) }
        o["labels"] = labelsJSON
        o["memoryCapacity"] = memoryCapacity.map { .int(Int($0)) } ?? .null
        o["cpus"] = cpus.map { .int($0) } ?? .null
        o["instances"] = .int(instances)
        o["version"] = .string(version)
        o["registeredAt"] = .string(Timestamp.rfc3339(milliseconds: registeredAtMS))
        o["lastHeartbeatAt"] = .string(Timestamp.rfc3339(milliseconds: lastHeartbeatAtMS))
        return .object(o)
    }

    /// Reads ``json``; also the body of a heartbeat (name from the path, no identity or
    /// times: the server sets them).
    public init(json: JSON, name: String? = nil) throws(StewardError) {
        let r = try FieldReader(json)
        let resolvedName: String
        if let name { resolvedName = name } else { resolvedName = try r.requiredString("name") }
        self.init(
            name: resolvedName, identity: try r.string("identity") ?? "",
            labels: try r.stringMap("labels") ?? [:], memoryCapacity: try r.int("memoryCapacity").map(Int64.init),
            cpus: try r.int("cpus"), instances: try r.int("instances") ?? 0, version: try r.string("version") ?? "",
            registeredAtMS: (try r.timestamp("registeredAt")?.secondsSince1970 ?? 0) * 1000,
            lastHeartbeatAtMS: (try r.timestamp("lastHeartbeatAt")?.secondsSince1970 ?? 0) * 1000)
        self.state = try r.string("state").flatMap(State.init(rawValue:))
    }

    /// What a heartbeat may carry: a valid name, labels and numbers in range.
    public func validate() throws(StewardError) {
        try Self.validateName(name)
        try LabelRules.validate(labels, field: "labels")
        if let memoryCapacity, memoryCapacity < 0 {
            throw .invalidInput("'memoryCapacity' must be a number of bytes of 0 or more, got \(memoryCapacity)", field: "memoryCapacity")
        }
        if let cpus, cpus < 0 { throw .invalidInput("'cpus' must be 0 or more, got \(cpus)", field: "cpus") }
        guard instances >= 0 else { throw .invalidInput("'instances' must be 0 or more, got \(instances)", field: "instances") }
        guard version.utf8.count <= 64 else { throw .invalidInput("'version' must be at most 64 bytes", field: "version") }
    }

    /// Node names: the rule of executor names (a host name fits).
    public static func validateName(_ name: String, field: String = "name") throws(StewardError) {
        try NameRules.validateMachineName(name, what: "node name", field: field)
    }
}
