import ArgumentParser
import Foundation
import StewardCore

/// The `steward server` and `steward agent` flags of the node's supervisor.
struct SupervisorServerOptions: ParsableArguments {
    @Option(help: ArgumentHelp("This node's name, shown in each instance's status (default: STEWARD_NODE or the host name).", valueName: "name"))
    var node: String?

    @Option(
        name: .customLong("label"),
        help: ArgumentHelp(
            "A label of this node, matched by placement.nodeSelector and shown by `steward node ls` (repeat for more: --label zone=a --label disk=ssd).",
            valueName: "key=value"))
    var labelArguments: [String] = []

    @Flag(help: "Stop every instance when Steward stops (by default they keep running and are adopted at the next start).")
    var stopInstances = false

    @Flag(help: "Run no supervisor: ProcessDeployment services are stored but nothing runs them on this node.")
    var noSupervisor = false

    /// The `--label` flags as a map; a usage error names a malformed one.
    func labels() throws -> [String: String] {
        var labels: [String: String] = [:]
        for argument in labelArguments {
            guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex else {
                throw ValidationError("--label must be key=value, such as --label zone=a; got '\(argument)'")
            }
            labels[String(argument[..<equals])] = String(argument[argument.index(after: equals)...])
        }
        do {
            try LabelRules.validate(labels, field: "--label")
        } catch {
            throw ValidationError("--label: \(error.message)")
        }
        return labels
    }

    /// Usage errors for a malformed node name or label.
    func validate() throws {
        _ = try labels()
        if let node {
            do {
                try Node.validateName(node, field: "--node")
            } catch {
                throw ValidationError("--node: \(error.message)")
            }
        }
    }

    /// The node name: the flag, else STEWARD_NODE, else the host name.
    func nodeName(environment: [String: String]) -> String {
        node ?? environment["STEWARD_NODE"].flatMap { $0.isEmpty ? nil : $0 } ?? ProcessInfo.processInfo.hostName
    }
}
