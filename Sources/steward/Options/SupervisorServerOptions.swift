import ArgumentParser
import Foundation

/// The `steward server` and `steward agent` flags of the node's supervisor.
struct SupervisorServerOptions: ParsableArguments {
    @Option(help: ArgumentHelp("This node's name, shown in each instance's status (default: STEWARD_NODE or the host name).", valueName: "name"))
    var node: String?

    @Flag(help: "Stop every instance when Steward stops (by default they keep running and are adopted at the next start).")
    var stopInstances = false

    @Flag(help: "Run no supervisor: ProcessDeployment services are stored but nothing runs them on this node.")
    var noSupervisor = false

    /// The node name: the flag, else STEWARD_NODE, else the host name.
    func nodeName(environment: [String: String]) -> String {
        node ?? environment["STEWARD_NODE"].flatMap { $0.isEmpty ? nil : $0 } ?? ProcessInfo.processInfo.hostName
    }
}
