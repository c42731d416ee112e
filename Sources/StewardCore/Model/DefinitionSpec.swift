import JSONSchema

/// The names of a kind: `kind` (`ExecutorDeployment`), `plural` and `singular`.
public struct DefinitionNames: Sendable, Equatable {
    public var kind: String
    public var plural: String
    public var singular: String

    public init(kind: String, plural: String? = nil, singular: String? = nil) {
        self.kind = kind
        self.plural = plural ?? kind.lowercased() + "s"
        self.singular = singular ?? kind.lowercased()
    }

    public var json: JSON {
        .object(["kind": .string(kind), "plural": .string(plural), "singular": .string(singular)])
    }
}

/// Which executors reconcile services of a kind.
public struct HandlerSpec: Sendable, Equatable {
    /// Executors registered for this type receive the reconciliation processes.
    public var executorType: String
    /// The function the executor runs, `reconcile` by default.
    public var functionName: String
    /// Seconds between periodic resyncs; nil for none. At most ``maxReconcileInterval``.
    public var reconcileInterval: Int?

    /// The longest `reconcileInterval` accepted: 31,536,000 seconds (365 days).
    public static let maxReconcileInterval = 31_536_000

    /// Refuses what a new or updated definition may not carry: a `reconcileInterval` above
    /// ``maxReconcileInterval`` (decoding accepts it, for definitions stored before the bound).
    public func checkAdmissible() throws(StewardError) {
        let field = "spec.handler.reconcileInterval"
        if let interval = reconcileInterval, interval > Self.maxReconcileInterval {
            throw .invalidInput(
                "'\(field)' must be a number of seconds from 0 to \(Self.maxReconcileInterval) (365 days), got \(interval)", field: field)
        }
    }

    public init(executorType: String, functionName: String = "reconcile", reconcileInterval: Int? = nil) {
        self.executorType = executorType
        self.functionName = functionName
        self.reconcileInterval = reconcileInterval
    }

    public var json: JSON {
        var o = JSONObject()
        o["executorType"] = .string(executorType)
        o["functionName"] = .string(functionName)
        if let reconcileInterval { o["reconcileInterval"] = .int(reconcileInterval) }
        return .object(o)
    }
}

/// The spec of a ``ServiceDefinition`` (seed 000's shape).
public struct DefinitionSpec: Sendable, Equatable {
    public var group: String
    public var version: String
    public var names: DefinitionNames
    /// `Namespaced` (the only scope Steward has).
    public var scope: String
    /// The JSON Schema that a service's spec must match; nil accepts any spec.
    public var schema: JSON?
    public var handler: HandlerSpec?

    public init(
        group: String = "", version: String = "v1", names: DefinitionNames, scope: String = "Namespaced",
        schema: JSON? = nil, handler: HandlerSpec? = nil
    ) {
        self.group = group
        self.version = version
        self.names = names
        self.scope = scope
        self.schema = schema
        self.handler = handler
    }

    public init(json: JSON, path: String = "spec") throws(StewardError) {
        let r = try FieldReader(json, path: path)
        self.group = try r.string("group") ?? ""
        self.version = try r.string("version") ?? "v1"
        guard let namesReader = try r.object("names") else {
            throw .invalidInput("required field '\(path).names.kind' is missing", field: "\(path).names.kind")
        }
        let kind = try namesReader.requiredString("kind")
        try NameRules.validateKind(kind, field: namesReader.fieldPath("kind"))
        self.names = DefinitionNames(
            kind: kind, plural: try namesReader.string("plural"), singular: try namesReader.string("singular"))
        self.scope = try r.string("scope") ?? "Namespaced"
        guard scope == "Namespaced" else {
            throw .invalidInput(
                "'\(path).scope' must be 'Namespaced' (services always live in a namespace), got '\(scope)'",
                field: "\(path).scope")
        }
        if let schema = r.value("schema") {
            guard case .object = schema else {
                throw .invalidInput(
                    "'\(path).schema' must be a JSON Schema object, got \(schema.typeName)", field: "\(path).schema")
            }
            self.schema = schema
        } else {
            self.schema = nil
        }
        if let h = try r.object("handler") {
            let interval = try h.int("reconcileInterval")
            // The upper bound is an admission rule (``HandlerSpec/checkAdmissible()``): a definition
            // stored before it existed still decodes, and its interval is clamped where it is used.
            if let interval, interval < 0 {
                throw .invalidInput(
                    "'\(h.fieldPath("reconcileInterval"))' must be a number of seconds from 0 to \(HandlerSpec.maxReconcileInterval) (365 days), got \(interval)",
                    field: h.fieldPath("reconcileInterval"))
            }
            self.handler = HandlerSpec(
                executorType: try h.requiredString("executorType"),
                functionName: try h.string("functionName") ?? "reconcile",
                reconcileInterval: interval)
        } else {
            self.handler = nil
        }
    }

    public var json: JSON {
        var o = JSONObject()
        o["group"] = .string(group)
        o["version"] = .string(version)
        o["names"] = names.json
        o["scope"] = .string(scope)
        if let schema { o["schema"] = schema }
        if let handler { o["handler"] = handler.json }
        return .object(o)
    }
}
