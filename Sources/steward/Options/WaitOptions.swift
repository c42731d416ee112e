import ArgumentParser
import Foundation
import StewardClient
import StewardCore

/// `--wait [--timeout 60s]`: wait for the reconciler after a service write.
struct WaitOptions: ParsableArguments {
    @Flag(help: "Wait until the reconciler has handled the change (observedGeneration reaches the generation with Ready=True, or removal finishes); fail with its error.")
    var wait = false

    @Option(help: ArgumentHelp("How long --wait waits: 90s, 2m, 500ms or seconds.", valueName: "duration"))
    var timeout: String = "60s"

    func validate() throws {
        guard Self.parseDuration(timeout) != nil else {
            throw ValidationError("--timeout must be a duration such as 60s, 2m or 500ms, got '\(timeout)'")
        }
    }

    var timeoutDuration: Duration { Self.parseDuration(timeout) ?? .seconds(60) }

    /// `500ms`, `60s`, `2m`, `1h` or a plain number of seconds; zero only with `allowZero`.
    static func parseDuration(_ text: String, allowZero: Bool = false) -> Duration? {
        func accepted(_ value: Double) -> Bool { value.isFinite && (value > 0 || (allowZero && value == 0)) }
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            guard let value = Double(text.dropLast(suffix.count)), accepted(value) else { return nil }
            return .milliseconds(Int64(value * factor * 1000))
        }
        guard let value = Double(text), accepted(value) else { return nil }
        return .milliseconds(Int64(value * 1000))
    }

    /// After a create, update or set: waits for the reconciliation of `service`'s generation.
    func waitIfAsked(for service: Service, client: StewardClient) async throws {
        guard wait else { return }
        let revision = Int64(service.metadata.resourceVersion ?? "") ?? 0
        Terminal.writeError("waiting for service/\(service.metadata.name) generation \(service.metadata.generation) to be reconciled...\n")
        try await client.waitForReconciliation(
            of: service.metadata.name, generation: service.metadata.generation, after: revision,
            timeout: timeoutDuration
        ) { line in Terminal.writeError("  \(line)\n") }
        Terminal.writeError("service/\(service.metadata.name) reconciled\n")
    }

    /// After a remove: waits until the service is gone.
    func waitIfAsked(forRemovalOf service: Service, client: StewardClient) async throws {
        guard wait, service.metadata.deletionTimestamp != nil else { return }
        let revision = Int64(service.metadata.resourceVersion ?? "") ?? 0
        Terminal.writeError("waiting for the reconciler to remove service/\(service.metadata.name)...\n")
        try await client.waitForRemoval(of: service.metadata.name, after: revision, timeout: timeoutDuration) { line in
            Terminal.writeError("  \(line)\n")
        }
        Terminal.writeError("service/\(service.metadata.name) removed\n")
    }
}
