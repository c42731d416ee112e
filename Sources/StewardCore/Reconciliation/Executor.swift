import JSONSchema

/// A registered executor: a reconciler process that receives the processes of one executor type
/// in one namespace.
public struct Executor: Sendable, Equatable {
    /// Unique in its namespace; chosen by the executor (`docker-reconciler-host1`).
    public var name: String
    public var namespace: String
    /// The definitions whose `handler.executorType` equals this send their processes here.
    public var executorType: String
    /// The machine it runs on.
    public var node: String
    /// The identity that registered it; only it may take and close processes as this executor.
    public var identity: String
    public var registeredAtMS: Int64
    /// The last time it asked for work or heartbeated a process.
    public var lastHeartbeatAtMS: Int64

    public init(
        name: String, namespace: String, executorType: String, node: String, identity: String, registeredAtMS: Int64,
        lastHeartbeatAtMS: Int64
    ) {
        self.name = name
        self.namespace = namespace
        self.executorType = executorType
        self.node = node
        self.identity = identity
        self.registeredAtMS = registeredAtMS
        self.lastHeartbeatAtMS = lastHeartbeatAtMS
    }

    /// `{"name", "namespace", "executorType", "node", "identity", "registeredAt", "lastHeartbeatAt"}`.
    public var json: JSON {
        var o = JSONObject()
        o["name"] = .string(name)
        o["namespace"] = .string(namespace)
        o["executorType"] = .string(executorType)
        o["node"] = .string(node)
        o["identity"] = .string(identity)
        o["registeredAt"] = ReconciliationProcess.time(registeredAtMS)
        o["lastHeartbeatAt"] = ReconciliationProcess.time(lastHeartbeatAtMS)
        return .object(o)
    }

    public init(json: JSON) throws(StewardError) {
        let r = try FieldReader(json)
        self.init(
            name: try r.requiredString("name"), namespace: try r.string("namespace") ?? "",
            executorType: try r.requiredString("executorType"), node: try r.string("node") ?? "",
            identity: try r.string("identity") ?? "",
            registeredAtMS: (try r.timestamp("registeredAt")?.secondsSince1970 ?? 0) * 1000,
            lastHeartbeatAtMS: (try r.timestamp("lastHeartbeatAt")?.secondsSince1970 ?? 0) * 1000)
    }

    /// Executor names: 1 to 128 letters, digits, `.`, `_` and `-`, starting with a letter or digit.
    public static func validateName(_ name: String, field: String = "name") throws(StewardError) {
        try NameRules.validateMachineName(name, what: "executor name", field: field)
    }
}
