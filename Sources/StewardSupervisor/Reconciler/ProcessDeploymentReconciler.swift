import JSONSchema
import StewardClient
import StewardCore

/// The reconciler of `ProcessDeployment` services: it hands each change to the node's
/// ``NodeSupervisor`` and returns. The supervisor writes the status itself, whenever its
/// instances change (coalesced), so the reconciler returns none.
///
/// A removal returns only once every instance of the service has ended, so that the service is
/// gone from the store only when nothing of it runs.
public struct ProcessDeploymentReconciler: Reconciler {
    let supervisor: NodeSupervisor

    public init(supervisor: NodeSupervisor) {
        self.supervisor = supervisor
    }

    public func reconcile(_ process: ReconciliationProcess, context: ReconcileContext) async throws -> JSON? {
        guard process.reconciliation.action != .delete, let service = process.reconciliation.new,
            service["metadata"]?["deletionTimestamp"]?.stringValue == nil
        else {
            await supervisor.remove(namespace: context.namespace, name: process.serviceName)
            return nil
        }
        await supervisor.apply(try DesiredService(service: service))
        return nil
    }
}
