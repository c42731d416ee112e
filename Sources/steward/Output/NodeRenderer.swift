import Foundation
import StewardCore

/// The tables of `steward node ls` and `steward node get`.
enum NodeRenderer {
    /// The `node ls` table.
    static func list(_ nodes: [Node], nowMS: Int64 = Date().millisecondsSince1970) -> Table {
        Table(
            title: "Nodes",
            headers: ["NAME", "STATE", "LABELS", "MEMORY", "CPUS", "INSTANCES", "LAST HEARTBEAT", "VERSION"],
            rows: nodes.map { node in
                [
                    node.name, node.state?.rawValue ?? "-", DisplayText.labels(node.labels), memory(node.memoryCapacity),
                    node.cpus.map(String.init) ?? "-", String(node.instances), heartbeat(node.lastHeartbeatAtMS, nowMS: nowMS),
                    node.version.isEmpty ? "-" : node.version,
                ]
            })
    }

    /// The `node get` table.
    static func detail(_ node: Node, nowMS: Int64 = Date().millisecondsSince1970) -> Table {
        .keyValue(
            title: "Node",
            [
                ("Name", node.name), ("State", node.state?.rawValue ?? "-"), ("Labels", DisplayText.labels(node.labels)),
                ("Memory", memory(node.memoryCapacity)), ("CPUs", node.cpus.map(String.init) ?? "-"),
                ("Instances", String(node.instances)), ("Version", node.version.isEmpty ? "-" : node.version),
                ("Identity", node.identity), ("Registered", ProcessRenderer.time(node.registeredAtMS)),
                ("Last Heartbeat", heartbeat(node.lastHeartbeatAtMS, nowMS: nowMS)),
            ])
    }

    static func memory(_ bytes: Int64?) -> String {
        bytes.map(SpecValues.formatMemory) ?? "-"
    }

    /// `2026-12-04T19:30:01Z (3s ago)`.
    static func heartbeat(_ ms: Int64, nowMS: Int64) -> String {
        "\(ProcessRenderer.time(ms)) (\(age(nowMS - ms)) ago)"
    }

    /// `3s`, `4m`, `2h`, `5d`.
    static func age(_ ms: Int64) -> String {
        let seconds = max(0, ms / 1000)
        if seconds < 120 { return "\(seconds)s" }
        if seconds < 7200 { return "\(seconds / 60)m" }
        if seconds < 172_800 { return "\(seconds / 3600)h" }
        return "\(seconds / 86_400)d"
    }
}
