import ArgumentParser
import StewardServer

/// The `steward server` flags of the reconciliation work queue.
struct ReconciliationServerOptions: ParsableArguments {
    @Option(help: ArgumentHelp("How long an executor keeps a process without a heartbeat before it goes to another, more than zero: 30s, 2m, 500ms or a number of seconds (default: 30s).", valueName: "duration"))
    var leaseDuration: CLIDuration?

    @Option(help: ArgumentHelp("The retry delay after a service's first failed reconciliation; it doubles per failure. More than zero: 100ms, 2s, 1m or a number of seconds (default: 100ms).", valueName: "duration"))
    var backoffInitial: CLIDuration?

    @Option(help: ArgumentHelp("The longest retry delay after failed reconciliations, more than zero: 5m, 30s, 1h or a number of seconds (default: 5m).", valueName: "duration"))
    var backoffMax: CLIDuration?

    func apply(to configuration: inout ReconciliationConfiguration) {
        if let leaseDuration { configuration.leaseDuration = leaseDuration.duration }
        if let backoffInitial { configuration.backoff.initial = backoffInitial.duration }
        if let backoffMax { configuration.backoff.maximum = backoffMax.duration }
    }
}
