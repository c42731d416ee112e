import ArgumentParser
import StewardServer

/// The `steward server` flags of the reconciliation work queue.
struct ReconciliationServerOptions: ParsableArguments {
    @Option(help: ArgumentHelp("How long an executor keeps a process without a heartbeat before it goes to another (default: 30s).", valueName: "duration"))
    var leaseDuration: String?

    @Option(help: ArgumentHelp("The retry delay after a service's first failed reconciliation; it doubles per failure (default: 100ms).", valueName: "duration"))
    var backoffInitial: String?

    @Option(help: ArgumentHelp("The longest retry delay after failed reconciliations (default: 5m).", valueName: "duration"))
    var backoffMax: String?

    func validate() throws {
        for (flag, value) in [("--lease-duration", leaseDuration), ("--backoff-initial", backoffInitial), ("--backoff-max", backoffMax)] {
            if let value, WaitOptions.parseDuration(value) == nil {
                throw ValidationError("\(flag) must be a duration such as 30s, 2m or 500ms, got '\(value)'")
            }
        }
    }

    func apply(to configuration: inout ReconciliationConfiguration) {
        if let lease = leaseDuration.flatMap { WaitOptions.parseDuration($0) } { configuration.leaseDuration = lease }
        if let initial = backoffInitial.flatMap { WaitOptions.parseDuration($0) } { configuration.backoff.initial = initial }
        if let maximum = backoffMax.flatMap { WaitOptions.parseDuration($0) } { configuration.backoff.maximum = maximum }
    }
}
