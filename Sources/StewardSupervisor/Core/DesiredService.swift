import JSONSchema
import StewardCore

/// What one service asks this node to run: its identity, generation and decoded spec.
public struct DesiredService: Sendable, Hashable {
    public var namespace: String
    public var name: String
    public var uid: String
    public var generation: Int
    public var spec: ProcessDeploymentSpec
    /// Identifies the instance template: instances started from another template are replaced
    /// (one at a time). A digest of the spec without `replicas` and `enabled` (scaling and
    /// disabling do not replace instances) plus the restart token.
    public var template: String

    /// The annotation `steward service restart` sets: a new value replaces every instance.
    public static let restartAnnotation = "steward.io/restartedAt"

    public init(namespace: String, name: String, uid: String, generation: Int, spec: ProcessDeploymentSpec, template: String) {
        self.namespace = namespace
        self.name = name
        self.uid = uid
        self.generation = generation
        self.spec = spec
        self.template = template
    }

    /// Decodes a service as the API returns it.
    public init(service: JSON) throws(StewardError) {
        let metadata = service["metadata"]
        guard let name = metadata?["name"]?.stringValue, let namespace = metadata?["namespace"]?.stringValue else {
            throw .invalidInput("the service has no metadata.name or metadata.namespace")
        }
        let specJSON = service["spec"] ?? .object([:])
        self.init(
            namespace: namespace, name: name, uid: metadata?["uid"]?.stringValue ?? "",
            generation: metadata?["generation"]?.intValue ?? 0, spec: try ProcessDeploymentSpec(json: specJSON),
            template: Self.template(
                spec: specJSON, restartToken: metadata?["annotations"]?[Self.restartAnnotation]?.stringValue))
    }

    /// The fields of a spec that do not change what one instance is.
    static let scaleFields: Set<String> = ["replicas", "enabled"]

    /// A short, stable digest of the spec (without ``scaleFields``) and restart token
    /// (FNV-1a, 64 bits, hex).
    public static func template(spec: JSON, restartToken: String?) -> String {
        var instanceSpec = spec
        if case .object(var fields) = spec {
            for field in scaleFields { fields[field] = nil }
            instanceSpec = .object(fields)
        }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in instanceSpec.serializedBytes() + Array((restartToken ?? "").utf8) {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// How many instances should run: `replicas`, or none when disabled.
    public var wantedReplicas: Int { spec.enabled ? spec.replicas : 0 }
}
