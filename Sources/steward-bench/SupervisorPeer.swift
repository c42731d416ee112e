import Foundation

/// A supervisor under `steward-bench supervise`: Steward, s6 or supervisord, each started fresh
/// in its own temporary directory for each measurement and told to run N beacons.
protocol SupervisorPeer: AnyObject, Sendable {
    /// The column name in the report (`steward`, `s6`, `supervisord`).
    var name: String { get }

    /// Starts the supervisor with nothing to run and returns once it accepts work.
    func start() async throws

    /// Has the supervisor run `instances` beacons that report to `socket`, and returns the
    /// moment (CLOCK_REALTIME ns) just before the request was made: the start of the timing.
    func submit(instances: Int, beacon: BeaconProgram, socket: String) async throws -> UInt64

    /// The processes whose CPU time and resident memory are the supervisor's.
    func supervisingPids() -> [Int32]

    /// Stops the supervisor and what it runs. Never throws; the caller then kills any beacon
    /// that is left.
    func stop() async

    /// Where the supervisor's own log is, for error messages.
    var logPath: String { get }
}

/// The supervisors the benchmark knows, in the report's column order.
enum SupervisorKind: String, CaseIterable, Sendable {
    case steward
    case s6
    case supervisord

    /// A new peer of this kind with its files under `directory`.
    func make(directory: String) throws -> any SupervisorPeer {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        switch self {
        case .steward: return try StewardSupervisorPeer(directory: directory)
        case .s6: return try S6Peer(directory: directory)
        case .supervisord: return try SupervisordPeer(directory: directory)
        }
    }

    /// What the CPU and memory figures of this peer add up.
    var accounting: String {
        switch self {
        case .steward: return "the `steward server` process"
        case .s6: return "s6-svscan plus every s6-supervise process (one per instance), summed"
        case .supervisord: return "the supervisord process"
        }
    }
}
