import JSONSchema

/// The outcome of one instance's health check run on request (`steward service check`).
public struct InstanceCheckResult: Sendable, Hashable {
    public var instance: String
    public var passed: Bool
    public var message: String

    public init(instance: String, passed: Bool, message: String) {
        self.instance = instance
        self.passed = passed
        self.message = message
    }

    public var json: JSON {
        .object(["instance": .string(instance), "passed": .bool(passed), "message": .string(message)])
    }

    public init(json: JSON) throws(StewardError) {
        let r = try FieldReader(json)
        self.init(
            instance: try r.requiredString("instance"), passed: json["passed"]?.boolValue ?? false,
            message: try r.string("message") ?? "")
    }
}
