import ArgumentParser
import StewardCore
import StewardServer

/// The `steward server` flags of the reconciliation work queue.
struct ReconciliationServerOptions: ParsableArguments {
    @Option(help: ArgumentHelp("How long an executor keeps a process without a heartbeat before it goes to another, more than zero: 30s, 2m, 500ms or a number of seconds (default: 30s).", valueName: "duration"))
    var leaseDuration: CLIDuration?

    @Option(help: ArgumentHelp("The retry delay after a service's first failed reconciliation; it doubles per failure. More than zero: 100ms, 2s, 1m or a number of seconds (default: 100ms).", valueName: "duration"))
    var backoffInitial: CLIDuration?

    @Option(help: ArgumentHelp("The longest retry delay after failed reconciliations, more than zero: 5m, 30s, 1h or a number of seconds (default: 5m).", valueName: "duration"))
    var backoffMax: CLIDuration?

    @Option(help: ArgumentHelp("How many finished reconciliation processes (succeeded, superseded, cancelled) each service keeps for `steward process ls` and `get`; older ones are deleted as new ones finish. 0 or more, for example 100 (default: STEWARD_KEEP_FINISHED_PROCESSES or 20).", valueName: "count"))
    var keepFinishedProcesses: Int?

    func validate() throws {
        if let keepFinishedProcesses, keepFinishedProcesses < 0 {
            throw ValidationError("--keep-finished-processes must be 0 or more, got \(keepFinishedProcesses)")
        }
    }

    static let keepFinishedSetting = EnvironmentSetting.count("STEWARD_KEEP_FINISHED_PROCESSES", atLeast: 0)

    /// Sets what the flags (or, for the retention of finished processes, the environment) give.
    func apply(to configuration: inout ReconciliationConfiguration, environment: [String: String]) throws {
        if let leaseDuration { configuration.leaseDuration = leaseDuration.duration }
        if let backoffInitial { configuration.backoff.initial = backoffInitial.duration }
        if let backoffMax { configuration.backoff.maximum = backoffMax.duration }
        if let keep = try keepFinishedProcesses ?? Self.keepFinishedSetting.value(in: environment) {
            configuration.keepFinishedProcesses = keep
        }
    }
}
