import Foundation
import Logging
import StewardCore

/// How `steward server` runs: where its data lives, where it listens, and its limits.
///
/// Only the executable reads flags and environment variables; it fills this in.
public struct ServerConfiguration: Sendable {
    /// The default limit on request bodies: 1 MiB.
    public static let defaultMaxBodySize = 1 << 20

    /// The data directory (`$STEWARD_HOME`): `steward.db` and `keys/`. Relative paths are
    /// resolved against the current directory.
    public var home: String = "./.steward"
    /// The address to listen on.
    public var host: String = "127.0.0.1"
    /// The port to listen on; 0 picks a free port (printed on start).
    public var port: Int = 7700
    /// Request bodies above this many bytes get 413.
    public var maxBodySize: Int = ServerConfiguration.defaultMaxBodySize
    /// Deepest JSON nesting accepted in a request body; deeper gets 400.
    public var maxJSONDepth: Int = 512
    /// How far a request's timestamp may be from the server clock, in seconds.
    public var maxClockSkew: Int64 = 300
    /// Seconds between keep-alive comments on a watch stream.
    public var watchHeartbeatInterval: Double = 15
    /// How long the event log keeps events for watches to replay; older ones are deleted
    /// (the newest of each namespace stays), and a watch from before them gets 410.
    public var eventRetention: Duration = ServerConfiguration.defaultEventRetention
    /// The default ``eventRetention``: one hour.
    public static let defaultEventRetention: Duration = .seconds(3600)
    public var logLevel: Logger.Level = .info
    /// Whether to add this server's context (address, owner key path, namespace) to the client
    /// configuration on start, keeping the other contexts there.
    public var writeClientConfig: Bool = true
    /// Where to write it; nil: `$STEWARD_CONFIG`, else `$XDG_CONFIG_HOME/steward/config.json`,
    /// else `~/.config/steward/config.json`.
    public var clientConfigPath: String?
    /// Whether to print the start lines (address, owner key, client configuration) on standard
    /// output.
    public var printStartupLines: Bool = true
    /// Installs the built-in kinds (`ProcessDeployment`) and the server's identity as a member in
    /// every namespace, so that the node's supervisor can run them. Off only in tests of other things.
    public var installBuiltInKinds: Bool = true
    /// Timeouts for slow and idle clients, and the connection limit.
    public var listener = ListenerConfiguration()
    /// Leases, backoff and long-poll limits of the reconciliation work queue, and how many
    /// finished processes each service keeps.
    public var reconciliation = ReconciliationConfiguration()
    /// A node whose supervisor has not heartbeated for this long is `Unknown` (supervisors
    /// heartbeat every 5 s).
    public var nodeGracePeriod: Duration = .seconds(20)

    public init() {}

    /// `home` as an absolute, standardized path.
    public var absoluteHome: String {
        let url = URL(fileURLWithPath: home, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        return url.standardizedFileURL.path
    }

    public var databasePath: String { absoluteHome + "/steward.db" }
    public var keysDirectory: String { absoluteHome + "/keys" }
    public var ownerKeyPath: String { keysDirectory + "/owner.key" }
    public var serverKeyPath: String { keysDirectory + "/server.key" }

    /// The client configuration path for `environment` (see ``clientConfigPath``).
    public static func defaultClientConfigPath(environment: [String: String]) -> String {
        ClientConfiguration.path(environment: environment)
    }
}
