import JSONSchema

/// Sets conditions in a service's status (`status.conditions`: `{type, status, reason, message,
/// lastTransitionTime}`), the way reconcilers and the server report what they see.
public enum ServiceConditions {
    /// The condition the server keeps about reconciliation itself: `True` after a successful
    /// process, `False` with the reconciler's error after a failed one.
    public static let reconciled = "Reconciled"
    /// The condition a reconciler sets when the service works as specified.
    public static let ready = "Ready"

    /// `status` with the condition of `type` set. `lastTransitionTime` changes only when the
    /// condition's `status` changes.
    public static func setting(
        type: String, status conditionStatus: Bool, reason: String, message: String, at now: Timestamp, in status: JSON
    ) -> JSON {
        var object = status.objectValue ?? JSONObject()
        var conditions = object["conditions"]?.arrayValue ?? []
        let statusText = conditionStatus ? "True" : "False"
        var condition = JSONObject()
        condition["type"] = .string(type)
        condition["status"] = .string(statusText)
        condition["reason"] = .string(reason)
        condition["message"] = .string(message)
        condition["lastTransitionTime"] = .string(now.rfc3339)
        if let index = conditions.firstIndex(where: { $0["type"]?.stringValue == type }) {
            if conditions[index]["status"]?.stringValue == statusText,
                let previous = conditions[index]["lastTransitionTime"]
            {
                condition["lastTransitionTime"] = previous
            }
            conditions[index] = .object(condition)
        } else {
            conditions.append(.object(condition))
        }
        object["conditions"] = .array(conditions)
        return .object(object)
    }

    /// The condition of `type` in `status`, if any.
    public static func condition(_ type: String, in status: JSON) -> JSON? {
        status["conditions"]?.arrayValue?.first { $0["type"]?.stringValue == type }
    }

    /// True when the condition of `type` has status `True`.
    public static func isTrue(_ type: String, in status: JSON) -> Bool {
        condition(type, in: status)?["status"]?.stringValue == "True"
    }
}
