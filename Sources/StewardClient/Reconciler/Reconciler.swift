import JSONSchema
import StewardCore

/// A reconciler: receives a process (what changed, with the service before and after) and makes
/// the world match the service's spec.
///
/// Reconcilers are level-based: compare the desired state (`reconciliation.new`, or the service
/// read again) with what you observe now, so that a repeated or merged process does no harm.
/// Throw to report a failure: the runner closes the process with your error's description and
/// the server retries it with backoff.
///
/// ```swift
/// struct EchoReconciler: Reconciler {
///     func reconcile(_ process: ReconciliationProcess, context: ReconcileContext) async throws -> JSON? {
///         guard let service = process.reconciliation.new else { return nil }  // delete: clean up
///         return .object(["conditions": .array([ReconcileContext.readyCondition()])])
///     }
/// }
/// ```
public protocol Reconciler: Sendable {
    /// Handles one process. Return the status to write (the runner adds `observedGeneration`
    /// when missing) or nil to leave the status alone; for `delete` the return value is ignored.
    func reconcile(_ process: ReconciliationProcess, context: ReconcileContext) async throws -> JSON?
}

/// What a reconciler may use while handling a process.
public struct ReconcileContext: Sendable {
    /// A client signing as the executor's identity.
    public let client: StewardClient
    /// The executor handling the process.
    public let executorName: String
    /// The namespace of the process.
    public let namespace: String

    public init(client: StewardClient, executorName: String, namespace: String) {
        self.client = client
        self.executorName = executorName
        self.namespace = namespace
    }

    /// A `Ready` condition (`{type, status, reason, message, lastTransitionTime}`).
    public static func readyCondition(
        _ ready: Bool = true, reason: String = "Reconciled", message: String = "", at time: Timestamp = .now()
    ) -> JSON {
        .object([
            "type": .string(ServiceConditions.ready), "status": .string(ready ? "True" : "False"),
            "reason": .string(reason), "message": .string(message), "lastTransitionTime": .string(time.rfc3339),
        ])
    }
}
