import JSONSchema

/// Decides, from a service as a watcher sees it, whether the reconciliation of a given
/// generation has finished (`--wait`): done when `status.observedGeneration` has reached the
/// generation and the `Ready` condition is `True`; failed when the server reports the
/// `Reconciled` condition `False` (the reconciler's error).
public enum ReconciliationProgress: Sendable, Equatable {
    case done
    /// The reconciler failed; the message is its error.
    case failed(String)
    /// Still going; the text describes what is known.
    case pending(String)

    /// Evaluates `service` (its wire JSON) against `generation`. `fresh` tells whether the
    /// object comes from a change after the write being waited for: an older `Reconciled=False`
    /// may be stale and is then ignored.
    public static func evaluate(_ service: JSON, generation: Int, fresh: Bool) -> ReconciliationProgress {
        let status = service["status"] ?? .object([:])
        let observed = status["observedGeneration"]?.intValue ?? 0
        let ready = ServiceConditions.condition(ServiceConditions.ready, in: status)
        let readyTrue = ready?["status"]?.stringValue == "True"
        if observed >= generation && readyTrue { return .done }
        if fresh, let reconciled = ServiceConditions.condition(ServiceConditions.reconciled, in: status),
            reconciled["status"]?.stringValue == "False"
        {
            return .failed(reconciled["message"]?.stringValue ?? "the reconciler reported a failure")
        }
        var text = "observedGeneration \(observed) of \(generation)"
        if let ready {
            text += ", Ready \(ready["status"]?.stringValue ?? "?")"
            if let reason = ready["reason"]?.stringValue, !reason.isEmpty { text += " (\(reason))" }
            if let message = ready["message"]?.stringValue, !message.isEmpty { text += ": \(message)" }
        } else {
            text += ", no Ready condition yet"
        }
        return .pending(text)
    }
}
