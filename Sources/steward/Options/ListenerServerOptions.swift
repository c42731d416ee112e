import ArgumentParser
import StewardCore
import StewardServer

/// The `steward server` flags of the HTTP listener: timeouts for slow and idle clients and the
/// connection limit. Each has an environment variable; the flag wins.
struct ListenerServerOptions: ParsableArguments {
    @Option(help: ArgumentHelp("How long a client may take to send a request's head (its first line and headers), from the connection's opening or the head's first byte; slower connections are closed. More than zero: 10s, 500ms, 1m or a number of seconds (default: STEWARD_HEADER_TIMEOUT or 10s).", valueName: "duration"))
    var headerTimeout: CLIDuration?

    @Option(help: ArgumentHelp("How long a kept-alive connection may stay silent between requests, or within a request body, before it is closed. Watch streams and the assign long poll are not cut. More than zero: 60s, 5m or a number of seconds (default: STEWARD_IDLE_TIMEOUT or 60s).", valueName: "duration"))
    var idleTimeout: CLIDuration?

    @Option(help: ArgumentHelp("The most connections open at once. At the limit a new connection closes the longest-waiting idle one; when all are busy it gets 503. At least 1 (default: STEWARD_MAX_CONNECTIONS or the open-file limit less a reserve for the store).", valueName: "count"))
    var maxConnections: Int?

    func validate() throws {
        if let maxConnections, maxConnections < 1 {
            throw ValidationError("--max-connections must be at least 1, got \(maxConnections)")
        }
    }

    static let headerTimeoutSetting = EnvironmentSetting.duration("STEWARD_HEADER_TIMEOUT", examples: "10s, 500ms or 1m")
    static let idleTimeoutSetting = EnvironmentSetting.duration("STEWARD_IDLE_TIMEOUT", examples: "10s, 500ms or 1m")
    static let maxConnectionsSetting = EnvironmentSetting.count("STEWARD_MAX_CONNECTIONS", atLeast: 1)

    /// Sets what the flags, else the environment, give.
    func apply(to configuration: inout ListenerConfiguration, environment: [String: String]) throws {
        if let timeout = try headerTimeout?.duration ?? Self.headerTimeoutSetting.value(in: environment) {
            configuration.headerTimeout = timeout
        }
        if let timeout = try idleTimeout?.duration ?? Self.idleTimeoutSetting.value(in: environment) {
            configuration.idleTimeout = timeout
        }
        if let limit = try maxConnections ?? Self.maxConnectionsSetting.value(in: environment) {
            configuration.maxConnections = limit
        }
    }
}
