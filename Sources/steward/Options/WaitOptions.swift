import ArgumentParser
import Foundation
import StewardClient
import StewardCore

/// `--wait [--timeout 60s]`: wait for the reconciler after a service write.
struct WaitOptions: ParsableArguments {
    @Flag(help: "Wait until the reconciler has handled the change (observedGeneration reaches the generation with Ready=True, or removal finishes); fail with its error.")
    var wait = false

    @Option(help: ArgumentHelp("How long --wait waits, more than zero: 90s, 2m, 500ms or a number of seconds.", valueName: "duration"))
    var timeout = CLIDuration(.seconds(60))

    /// After a create, update or set: waits for the reconciliation of `service`'s generation.
    func waitIfAsked(for service: Service, client: StewardClient) async throws {
        guard wait else { return }
        let revision = Int64(service.metadata.resourceVersion ?? "") ?? 0
        Terminal.writeError("waiting for service/\(service.metadata.name) generation \(service.metadata.generation) to be reconciled...\n")
        try await client.waitForReconciliation(
            of: service.metadata.name, generation: service.metadata.generation, after: revision,
            timeout: timeout.duration
        ) { line in Terminal.writeError("  \(line)\n") }
        Terminal.writeError("service/\(service.metadata.name) reconciled\n")
    }

    /// After a remove: waits until the service is gone.
    func waitIfAsked(forRemovalOf service: Service, client: StewardClient) async throws {
        guard wait, service.metadata.deletionTimestamp != nil else { return }
        let revision = Int64(service.metadata.resourceVersion ?? "") ?? 0
        Terminal.writeError("waiting for the reconciler to remove service/\(service.metadata.name)...\n")
        try await client.waitForRemoval(of: service.metadata.name, after: revision, timeout: timeout.duration) { line in
            Terminal.writeError("  \(line)\n")
        }
        Terminal.writeError("service/\(service.metadata.name) removed\n")
    }
}
