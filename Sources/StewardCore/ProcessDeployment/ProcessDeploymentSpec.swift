import JSONSchema

/// The spec of a `ProcessDeployment` service, decoded and checked: what the supervisor runs.
///
/// The definition's schema (``ProcessDeploymentDefinition``) supplies the defaults and checks
/// the shapes; this type checks what a schema cannot say (a memory limit below 1 MiB, a
/// duration's range) and is also the admission check of the kind, so that both give the same
/// error naming the field.
public struct ProcessDeploymentSpec: Sendable, Hashable {
    /// When an ended instance is started again.
    public enum RestartPolicy: String, Sendable, Hashable, CaseIterable {
        /// After every exit.
        case always
        /// After an exit with a status other than 0 or by a signal.
        case onFailure = "on-failure"
        /// Never: the instance ends `STOPPED` (status 0) or `FAILED`.
        case never
    }

    /// The delays between restarts of a replica that keeps crashing.
    public struct Backoff: Sendable, Hashable {
        public var initial: Duration = .milliseconds(100)
        public var factor: Double = 2
        public var max: Duration = .seconds(300)
        /// A replica that ran this long without a crash restarts at once and starts its delays over.
        public var resetAfter: Duration = .seconds(10)

        public init() {}

        /// The delay before restart number `crashes` in a row (1: the first crash since a clean
        /// run, which restarts at once).
        public func delay(consecutiveCrashes crashes: Int) -> Duration {
            guard crashes > 1 else { return .zero }
            return BackoffPolicy(initial: initial, multiplier: factor, maximum: max).delay(afterFailures: crashes - 1)
        }
    }

    /// Where instances may run.
    public struct Placement: Sendable, Hashable {
        /// At most this many instances of the service on one node.
        public var maxPerNode: Int?
        /// Only these nodes, by name.
        public var nodes: [String]?
        /// Only nodes carrying all these labels.
        public var nodeSelector: [String: String] = [:]
        /// A name several services may claim: at most one instance among all of them per node.
        public var exclusive: String?

        public init() {}
    }

    public var command: [String]
    public var env: [String: String] = [:]
    public var workingDir: String?
    public var replicas: Int = 1
    public var enabled: Bool = true
    public var restartPolicy: RestartPolicy = .always
    public var backoff = Backoff()
    public var stopSignal: Int32 = 15
    public var stopTimeout: Duration = .seconds(10)
    public var memoryReservation: Int64?
    public var memoryLimit: Int64?
    /// The port each instance listens on: nil none, 0 one picked per instance.
    public var port: Int?
    public var healthCheck: HealthCheckSpec?
    public var placement = Placement()

    /// The smallest memory limit accepted: 1 MiB.
    public static let minimumMemoryLimit: Int64 = 1_048_576
    /// The most replicas a service may ask for.
    public static let maximumReplicas = 10_000

    public init(command: [String]) {
        self.command = command
    }

    /// Decodes `spec` (a service's spec, with the schema's defaults applied or not); errors name
    /// the field as `spec.<path>`.
    public init(json spec: JSON) throws(StewardError) {
        let r = try FieldReader(spec, path: "spec")
        guard let command = try r.stringArray("command"), !command.isEmpty, !command[0].isEmpty else {
            throw .invalidInput(
                "'spec.command' is required: the program and its arguments, as an array of strings (\"command\": [\"/usr/bin/python3\", \"-m\", \"http.server\"])",
                field: "spec.command")
        }
        self.command = command
        env = try r.stringMap("env") ?? [:]
        for key in env.keys where !Self.isEnvironmentName(key) {
            throw .invalidInput(
                "'spec.env' key '\(key)' is not a variable name (letters, digits and _, not starting with a digit)",
                field: "spec.env.\(key)")
        }
        workingDir = try r.string("workingDir")
        if let dir = workingDir, !dir.hasPrefix("/") {
            throw .invalidInput("'spec.workingDir' must be an absolute path, got '\(dir)'", field: "spec.workingDir")
        }
        if let replicas = try r.int("replicas") {
            guard (0...Self.maximumReplicas).contains(replicas) else {
                throw .invalidInput(
                    "'spec.replicas' must be from 0 to \(Self.maximumReplicas), got \(replicas)", field: "spec.replicas")
            }
            self.replicas = replicas
        }
        if let value = r.value("enabled") {
            guard let enabled = value.boolValue else {
                throw .invalidInput("'spec.enabled' must be true or false, got \(value.typeName)", field: "spec.enabled")
            }
            self.enabled = enabled
        }
        if let policy = try r.string("restartPolicy") {
            guard let parsed = RestartPolicy(rawValue: policy) else {
                throw .invalidInput(
                    "'spec.restartPolicy' must be always, on-failure or never, got '\(policy)'", field: "spec.restartPolicy")
            }
            restartPolicy = parsed
        }
        if let b = try r.object("backoff") {
            if let v = try Self.duration(b, "initial") { backoff.initial = v }
            if let v = b.value("factor") {
                guard let factor = v.doubleValue, factor >= 1, factor <= 10 else {
                    throw .invalidInput("'spec.backoff.factor' must be a number from 1 to 10", field: "spec.backoff.factor")
                }
                backoff.factor = factor
            }
            if let v = try Self.duration(b, "max") { backoff.max = v }
            if let v = try Self.duration(b, "resetAfter") { backoff.resetAfter = v }
            if backoff.max < backoff.initial {
                throw .invalidInput(
                    "'spec.backoff.max' (\(backoff.max)) must not be below 'spec.backoff.initial' (\(backoff.initial))",
                    field: "spec.backoff.max")
            }
        }
        if let name = try r.string("stopSignal") {
            guard let number = SpecValues.signal(name) else {
                throw .invalidInput(
                    "'spec.stopSignal' '\(name)' is not a signal name; use one of \(SpecValues.signals.keys.sorted().joined(separator: ", "))",
                    field: "spec.stopSignal")
            }
            stopSignal = number
        }
        if let v = try Self.duration(r, "stopTimeout") { stopTimeout = v }
        memoryReservation = try Self.memory(r, "memoryReservation", minimum: 0)
        memoryLimit = try Self.memory(r, "memoryLimit", minimum: Self.minimumMemoryLimit)
        if let reservation = memoryReservation, let limit = memoryLimit, reservation > limit {
            throw .invalidInput(
                "'spec.memoryReservation' (\(SpecValues.formatMemory(reservation))) must not be above 'spec.memoryLimit' (\(SpecValues.formatMemory(limit)))",
                field: "spec.memoryReservation")
        }
        if let port = try r.int("port") {
            guard (0...65535).contains(port) else {
                throw .invalidInput(
                    "'spec.port' must be from 1 to 65535, or 0 for a free port picked per instance, got \(port)", field: "spec.port")
            }
            self.port = port
        }
        if let h = try r.object("healthCheck") { healthCheck = try Self.healthCheck(h) }
        if let p = try r.object("placement") {
            if let max = try p.int("maxPerNode") {
                guard max >= 1 else {
                    throw .invalidInput("'spec.placement.maxPerNode' must be 1 or more, got \(max)", field: "spec.placement.maxPerNode")
                }
                placement.maxPerNode = max
            }
            placement.nodes = try p.stringArray("nodes")
            placement.nodeSelector = try p.stringMap("nodeSelector") ?? [:]
            placement.exclusive = try p.string("exclusive")
        }
    }

    private static func isEnvironmentName(_ key: String) -> Bool {
        guard let first = key.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return key.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") }
    }

    private static func duration(_ r: FieldReader, _ key: String) throws(StewardError) -> Duration? {
        guard let text = try r.string(key) else { return nil }
        guard let duration = SpecValues.duration(text) else {
            throw .invalidInput(
                "'\(r.fieldPath(key))' must be a duration such as 100ms, 10s, 5m or 1h, got '\(text)'", field: r.fieldPath(key))
        }
        return duration
    }

    private static func memory(_ r: FieldReader, _ key: String, minimum: Int64) throws(StewardError) -> Int64? {
        guard let value = r.value(key) else { return nil }
        let bytes: Int64?
        switch value {
        case .string(let text): bytes = SpecValues.memory(text)
        default: bytes = value.isInteger ? value.doubleValue.flatMap { $0 < 9e18 && $0 >= 0 ? Int64($0) : nil } : nil
        }
        guard let bytes else {
            throw .invalidInput(
                "'\(r.fieldPath(key))' must be a number of bytes or a size such as 512Mi or 1Gi, got \(value.serialized())",
                field: r.fieldPath(key))
        }
        guard bytes >= minimum else {
            throw .invalidInput(
                "'\(r.fieldPath(key))' must be at least \(SpecValues.formatMemory(minimum)) (\(minimum) bytes), got \(value.serialized())",
                field: r.fieldPath(key))
        }
        return bytes
    }

    private static func healthCheck(_ h: FieldReader) throws(StewardError) -> HealthCheckSpec {
        var probes: [HealthCheckSpec.Probe] = []
        if let argv = try h.stringArray("exec") {
            guard !argv.isEmpty else {
                throw .invalidInput("'spec.healthCheck.exec' must name a program", field: "spec.healthCheck.exec")
            }
            probes.append(.exec(argv))
        }
        if let http = try h.object("http") {
            let path = try http.string("path") ?? "/"
            guard path.hasPrefix("/") else {
                throw .invalidInput("'spec.healthCheck.http.path' must start with /, got '\(path)'", field: "spec.healthCheck.http.path")
            }
            probes.append(.http(path: path, port: try Self.probePort(http)))
        }
        if let tcp = try h.object("tcp") { probes.append(.tcp(port: try Self.probePort(tcp))) }
        guard probes.count == 1, let probe = probes.first else {
            throw .invalidInput(
                "'spec.healthCheck' must have exactly one of exec, http or tcp, got \(probes.count)", field: "spec.healthCheck")
        }
        var check = HealthCheckSpec(probe: probe)
        if let v = try duration(h, "interval") { check.interval = v }
        if let v = try duration(h, "timeout") { check.timeout = v }
        if let v = try duration(h, "startPeriod") { check.startPeriod = v }
        if let v = try h.int("failureThreshold") {
            guard v >= 1 else {
                throw .invalidInput(
                    "'spec.healthCheck.failureThreshold' must be 1 or more, got \(v)", field: "spec.healthCheck.failureThreshold")
            }
            check.failureThreshold = v
        }
        guard check.interval > .zero, check.timeout > .zero else {
            throw .invalidInput("'spec.healthCheck.interval' and 'timeout' must be more than 0", field: "spec.healthCheck.interval")
        }
        return check
    }

    private static func probePort(_ r: FieldReader) throws(StewardError) -> Int? {
        guard let port = try r.int("port") else { return nil }
        guard (1...65535).contains(port) else {
            throw .invalidInput("'\(r.fieldPath("port"))' must be from 1 to 65535, got \(port)", field: r.fieldPath("port"))
        }
        return port
    }
}
