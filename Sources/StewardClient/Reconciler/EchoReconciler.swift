import Foundation
import JSONSchema
import StewardCore

/// A reconciler that runs nothing: it reports every service as Ready with its spec's `replicas`
/// as running instances. Useful to try the protocol, in tests and for benchmarks; it can also
/// fail on purpose or take its time.
public struct EchoReconciler: Reconciler {
    /// When set, every process fails with this message.
    public var failure: String?
    /// How long each process takes.
    public var delay: Duration

    public init(failure: String? = nil, delay: Duration = .zero) {
        self.failure = failure
        self.delay = delay
    }

    public func reconcile(_ process: ReconciliationProcess, context: ReconcileContext) async throws -> JSON? {
        if delay > .zero { try await Task.sleep(for: delay) }
        if let failure { throw StewardError(.internal, failure) }
        guard let service = process.reconciliation.new else { return nil }
        let replicas = service["spec"]?["replicas"]?.intValue ?? 1
        let now = Timestamp.now()
        var status = JSONObject()
        status["observedGeneration"] = service["metadata"]?["generation"] ?? .int(0)
        status["runningInstances"] = .int(replicas)
        status["totalInstances"] = .int(replicas)
        status["lastUpdated"] = .string(now.rfc3339)
        status["conditions"] = .array([
            ReconcileContext.readyCondition(
                reason: "Reconciled",
                message: "\(process.reconciliation.action.rawValue) handled by \(context.executorName)", at: now)
        ])
        return .object(status)
    }
}
