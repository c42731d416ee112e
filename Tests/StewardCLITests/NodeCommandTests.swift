import Foundation
import JSONSchema
import Testing

/// `steward node ls|get|remove` against a real `steward server`, whose supervisor registers its
/// node with the `--node` name and `--label`s and heartbeats the instances it runs.
@Suite("steward node")
struct NodeCommandTests {
    @Test func theServersNodeIsListedWithItsLabelsAndInstances() throws {
        let server = try TestServer(flags: ["--node", "edge-1", "--label", "zone=a", "--label", "disk=ssd", "--stop-instances"])
        defer { server.stop() }
        let listed = try ProcessDeploymentSessionTests.eventually {
            (try server.run("node", "ls", "-o", "json").json())["items"]?[0] != nil
        }
        #expect(listed)
        let table = try server.run("node", "ls")
        #expect(table.status == 0, "\(table)")
        for expected in ["│ NAME ", "│ STATE ", "│ LABELS ", "│ INSTANCES ", "│ LAST HEARTBEAT ", "│ edge-1 │ Ready │ disk=ssd,zone=a │"] {
            #expect(table.stdout.contains(expected), "missing \(expected) in \(table)")
        }

        let spec = """
            {"kind": "ProcessDeployment", "metadata": {"name": "sleepers"}, "spec": {"command": ["sleep", "600"], "replicas": 2}}
            """
        try spec.write(to: server.directory.appendingPathComponent("sleepers.json"), atomically: true, encoding: .utf8)
        let added = try server.run("service", "add", "--spec", "sleepers.json", "--wait")
        #expect(added.status == 0, "\(added)")
        // The next heartbeat (every 5 s) carries the two instances.
        let counted = try ProcessDeploymentSessionTests.eventually {
            (try server.run("node", "get", "--name", "edge-1", "-o", "json").json())["instances"] == 2
        }
        #expect(counted)
        let node = try server.run("node", "get", "--name", "edge-1", "-o", "json").json()
        #expect(node["state"] == "Ready")
        #expect(node["labels"] == ["disk": "ssd", "zone": "a"])
        #expect((node["memoryCapacity"]?.intValue ?? 0) > 0)
        #expect((node["cpus"]?.intValue ?? 0) > 0)
        let detail = try server.run("node", "get", "--name", "edge-1")
        #expect(detail.stdout.contains("│ Instances      │ 2"), "\(detail)")

        let missing = try server.run("node", "get", "--name", "edge-2")
        #expect(missing.status == 1, "\(missing)")
        #expect(missing.stderr == "Error: node 'edge-2' not found; `steward node ls` lists the nodes\n", "\(missing)")
    }

    @Test func aMalformedLabelOrNodeNameIsAUsageError() throws {
        let directory = FileManager.default.temporaryDirectory
        let label = try StewardBinary.run(["server", "--label", "zone"], directory: directory, environment: [:])
        #expect(label.status == 2, "\(label)")
        #expect(label.stderr.hasPrefix("Error: --label must be key=value, such as --label zone=a; got 'zone'"), "\(label)")
        let badKey = try StewardBinary.run(["server", "--label", "a b=1"], directory: directory, environment: [:])
        #expect(badKey.status == 2, "\(badKey)")
        #expect(badKey.stderr.hasPrefix("Error: --label: "), "\(badKey)")
        let node = try StewardBinary.run(["server", "--node", "no spaces"], directory: directory, environment: [:])
        #expect(node.status == 2, "\(node)")
        #expect(node.stderr.hasPrefix("Error: --node: node name 'no spaces' is not valid"), "\(node)")
    }
}
