import JSONSchema

/// One unit of reconciliation work for one service (seed 000's process):
/// `{id, executorType, state, attempt, service, executor, leaseExpiresAt, notBefore, error,
/// createdAt, assignedAt, closedAt, functionSpec{funcName, reconciliation{action, old, new}}}`.
///
/// Times are milliseconds since 1970 inside Steward and RFC 3339 on the wire.
public struct ReconciliationProcess: Sendable, Equatable {
    public var id: String
    public var namespace: String
    /// The service reconciled.
    public var serviceName: String
    public var serviceKind: String
    public var serviceUID: String
    /// Executors registered for this type receive it (the definition's `handler.executorType`).
    public var executorType: String
    /// The definition's `handler.functionName`.
    public var funcName: String
    public var reconciliation: Reconciliation
    public var state: ProcessState
    /// How many times it was assigned.
    public var attempt: Int
    /// The executor that holds it (running) or held it last.
    public var executorName: String?
    /// When the lease of a running process runs out unless the executor heartbeats.
    public var leaseExpiresAtMS: Int64?
    /// It is not assigned before this time (backoff after a failure).
    public var notBeforeMS: Int64
    /// The last failure reported for it (or the lease that ran out).
    public var error: String?
    public var createdAtMS: Int64
    public var assignedAtMS: Int64?
    public var closedAtMS: Int64?

    public init(
        id: String, namespace: String, serviceName: String, serviceKind: String, serviceUID: String,
        executorType: String, funcName: String, reconciliation: Reconciliation, state: ProcessState = .waiting,
        attempt: Int = 0, executorName: String? = nil, leaseExpiresAtMS: Int64? = nil, notBeforeMS: Int64 = 0,
        error: String? = nil, createdAtMS: Int64, assignedAtMS: Int64? = nil, closedAtMS: Int64? = nil
    ) {
        self.id = id
        self.namespace = namespace
        self.serviceName = serviceName
        self.serviceKind = serviceKind
        self.serviceUID = serviceUID
        self.executorType = executorType
        self.funcName = funcName
        self.reconciliation = reconciliation
        self.state = state
        self.attempt = attempt
        self.executorName = executorName
        self.leaseExpiresAtMS = leaseExpiresAtMS
        self.notBeforeMS = notBeforeMS
        self.error = error
        self.createdAtMS = createdAtMS
        self.assignedAtMS = assignedAtMS
        self.closedAtMS = closedAtMS
    }

    /// The wire form.
    public var json: JSON {
        var o = JSONObject()
        o["id"] = .string(id)
        o["namespace"] = .string(namespace)
        o["executorType"] = .string(executorType)
        o["state"] = .string(state.rawValue)
        o["attempt"] = .int(attempt)
        o["service"] = .object(["name": .string(serviceName), "kind": .string(serviceKind), "uid": .string(serviceUID)])
        o["executor"] = executorName.map(JSON.string) ?? .null
        o["leaseExpiresAt"] = Self.time(leaseExpiresAtMS)
        o["notBefore"] = notBeforeMS > createdAtMS ? Self.time(notBeforeMS) : .null
        o["error"] = error.map(JSON.string) ?? .null
        o["createdAt"] = Self.time(createdAtMS)
        o["assignedAt"] = Self.time(assignedAtMS)
        o["closedAt"] = Self.time(closedAtMS)
        o["functionSpec"] = .object(["funcName": .string(funcName), "reconciliation": reconciliation.json])
        return .object(o)
    }

    /// Reads the wire form (as the client receives it).
    public init(json: JSON) throws(StewardError) {
        let r = try FieldReader(json, path: "")
        guard let service = try r.object("service") else {
            throw .invalidInput("required field 'service' is missing", field: "service")
        }
        guard let function = try r.object("functionSpec") else {
            throw .invalidInput("required field 'functionSpec' is missing", field: "functionSpec")
        }
        guard let reconciliation = function.value("reconciliation") else {
            throw .invalidInput(
                "required field 'functionSpec.reconciliation' is missing", field: "functionSpec.reconciliation")
        }
        let stateText = try r.requiredString("state")
        guard let state = ProcessState(rawValue: stateText) else {
            throw .invalidInput("'state' is not a process state: '\(stateText)'", field: "state")
        }
        self.init(
            id: try r.requiredString("id"), namespace: try r.string("namespace") ?? "",
            serviceName: try service.requiredString("name"), serviceKind: try service.string("kind") ?? "",
            serviceUID: try service.string("uid") ?? "", executorType: try r.requiredString("executorType"),
            funcName: try function.string("funcName") ?? "reconcile",
            reconciliation: try Reconciliation(json: reconciliation, path: "functionSpec.reconciliation"),
            state: state, attempt: try r.int("attempt") ?? 0, executorName: try r.string("executor"),
            leaseExpiresAtMS: try r.timestamp("leaseExpiresAt").map { $0.secondsSince1970 * 1000 },
            notBeforeMS: try r.timestamp("notBefore").map { $0.secondsSince1970 * 1000 } ?? 0,
            error: try r.string("error"),
            createdAtMS: (try r.timestamp("createdAt")?.secondsSince1970 ?? 0) * 1000,
            assignedAtMS: try r.timestamp("assignedAt").map { $0.secondsSince1970 * 1000 },
            closedAtMS: try r.timestamp("closedAt").map { $0.secondsSince1970 * 1000 })
    }

    static func time(_ ms: Int64?) -> JSON {
        guard let ms else { return .null }
        return .string(Timestamp(secondsSince1970: ms / 1000).rfc3339)
    }
}
