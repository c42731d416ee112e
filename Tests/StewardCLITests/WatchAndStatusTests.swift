import Foundation
import JSONSchema
import StewardClient
import StewardCore
import Testing

/// `service ls --watch`, and `service get` once a reconciler has written the status.
@Suite("Watch and status")
struct WatchAndStatusTests {
    @Test("service ls --watch prints the list, then one line per change")
    func watch() throws {
        let server = try TestServer()
        defer { server.stop() }
        #expect(try server.run("service", "definition", "add", "--spec", "executor-deployment-definition.json").status == 0)
        #expect(try server.run("service", "add", "--spec", "docker-executor-deployment.json").status == 0)

        let watch = try server.start("service", "ls", "--watch")
        defer { watch.stop() }
        #expect(watch.waitForOutput(containing: "│ docker-executor │"), "\(watch.output)")
        #expect(try server.run("service", "set", "--name", "docker-executor", "--key", "spec.replicas", "--value", "4").status == 0)
        #expect(try server.run("service", "remove", "--name", "docker-executor").status == 0)
        #expect(watch.waitForOutput(containing: "DELETED service/docker-executor"), "\(watch.output)")

        let events = watch.output.split(separator: "\n").filter { $0.first?.isNumber == true }
        #expect(events.count == 2, "\(watch.output)")
        #expect(events.first?.hasSuffix(" MODIFIED service/docker-executor kind=ExecutorDeployment generation=2") == true, "\(watch.output)")
        #expect(events.last?.contains(" DELETED service/docker-executor kind=ExecutorDeployment") == true, "\(watch.output)")
        let revisions = events.compactMap { Int($0.split(separator: " ")[0]) }
        #expect(revisions == revisions.sorted() && Set(revisions).count == revisions.count)
    }

    @Test("service ls --watch -o json prints one parseable JSON event per line")
    func watchJSON() throws {
        let server = try TestServer()
        defer { server.stop() }
        #expect(try server.run("service", "definition", "add", "--spec", "executor-deployment-definition.json").status == 0)
        let watch = try server.start("service", "ls", "--watch", "-o", "json", "--kind", "ExecutorDeployment")
        defer { watch.stop() }
        usleep(500_000)
        #expect(try server.run("service", "add", "--spec", "docker-executor-deployment.json").status == 0)
        #expect(watch.waitForOutput(containing: "\"ADDED\""), "\(watch.output)")
        let line = try #require(watch.output.split(separator: "\n").first)
        let event = try JSON(parsing: String(line))
        #expect(event["type"] == "ADDED")
        #expect(event["objectType"] == "service")
        #expect(event["object"]?["metadata"]?["name"] == "docker-executor")
        #expect(event["revision"]?.intValue != nil)
    }

    @Test("service get shows the Deployment Status and the Instances a reconciler reported")
    func statusTables() async throws {
        let server = try TestServer()
        defer { server.stop() }
        #expect(try server.run("service", "definition", "add", "--spec", "executor-deployment-definition.json").status == 0)
        #expect(try server.run("service", "add", "--spec", "docker-executor-deployment.json").status == 0)

        let client = StewardClient(
            configuration: .init(serverURL: server.url, identity: try Identity(privateKeyHex: try server.ownerKey)))
        let status = try JSON(parsing: """
            {
              "instances": [
                {"name": "executor-a1b", "id": "5884aadc788d", "type": "container", "state": "running",
                 "image": "colonyos/dockerexecutor:v1.0.5", "lastCheck": "2025-11-08T15:17:00Z"},
                {"name": "executor-c2d", "id": "d55e6cab12aa", "type": "container", "state": "running",
                 "image": "colonyos/dockerexecutor:v1.0.5", "lastCheck": "2025-11-08T15:17:00Z"},
                {"name": "executor-e3f", "id": "2efcd9aa0b3c", "type": "container", "state": "running",
                 "image": "colonyos/dockerexecutor:v1.0.5", "lastCheck": "2025-11-08T15:17:00Z"}
              ],
              "runningInstances": 3,
              "totalInstances": 3,
              "lastUpdated": "2025-11-08T15:17:00Z"
            }
            """)
        let before = try await client.service(name: "docker-executor")
        let updated = try await client.setStatus(name: "docker-executor", status: status, resourceVersion: before.metadata.resourceVersion)
        #expect(updated.metadata.generation == 1)
        await #expect {
            _ = try await client.setStatus(name: "docker-executor", status: status, resourceVersion: before.metadata.resourceVersion)
        } throws: { error in
            (error as? StewardError)?.code == .conflict
        }

        let get = try server.run("service", "get", "--name", "docker-executor")
        #expect(get.status == 0)
        #expect(get.stdout.contains("""
            ╭──────────────────────────────────────────╮
            │ Deployment Status                        │
            ├───────────────────┬──────────────────────┤
            │ Running Instances │ 3                    │
            │ Total Instances   │ 3                    │
            │ Last Updated      │ 2025-11-08T15:17:00Z │
            ╰───────────────────┴──────────────────────╯

            ╭─────────────────────────────────────────────────────────────────────────────────────────────────╮
            │ Instances                                                                                       │
            ├──────────────┬──────────────┬───────────┬─────────┬────────────────────────────────┬────────────┤
            │ NAME         │ ID           │ TYPE      │ STATE   │ IMAGE                          │ LAST CHECK │
            ├──────────────┼──────────────┼───────────┼─────────┼────────────────────────────────┼────────────┤
            │ executor-a1b │ 5884aadc788d │ container │ running │ colonyos/dockerexecutor:v1.0.5 │ 15:17:00   │
            │ executor-c2d │ d55e6cab12aa │ container │ running │ colonyos/dockerexecutor:v1.0.5 │ 15:17:00   │
            │ executor-e3f │ 2efcd9aa0b3c │ container │ running │ colonyos/dockerexecutor:v1.0.5 │ 15:17:00   │
            ╰──────────────┴──────────────┴───────────┴─────────┴────────────────────────────────┴────────────╯

            """), "\(get)")
        let list = try server.run("service", "ls")
        #expect(list.stdout.contains("│ docker-executor │ ExecutorDeployment │ 1          │ 3/3       │"), "\(list)")

        // A user's update keeps the status.
        #expect(try server.run("service", "set", "--name", "docker-executor", "--key", "spec.replicas", "--value", "5").status == 0)
        let after = try server.run("service", "get", "--name", "docker-executor", "-o", "json").json()
        #expect(after["status"]?["runningInstances"] == 3)
    }

    @Test("the client reads the unsigned routes and decodes error bodies into StewardError")
    func unsignedRoutesAndErrors() async throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = StewardClient(
            configuration: .init(serverURL: server.url, identity: try Identity(privateKeyHex: try server.ownerKey)))
        #expect(try await client.health().trimmingCharacters(in: .whitespacesAndNewlines) == "ok")
        #expect(try await client.openAPIDocument().contains("openapi:"))
        await #expect {
            _ = try await client.service(name: "missing")
        } throws: { error in
            (error as? StewardError)?.code == .notFound
        }
        let stranger = StewardClient(configuration: .init(serverURL: server.url, identity: Identity.generate()))
        await #expect {
            _ = try await stranger.definitions()
        } throws: { error in
            guard let error = error as? StewardError else { return false }
            return error.code == .forbidden || error.code == .notFound
        }
    }

    @Test("concurrent sets of different keys all survive")
    func concurrentSets() async throws {
        let server = try TestServer()
        defer { server.stop() }
        #expect(try server.run("service", "definition", "add", "--spec", "executor-deployment-definition.json").status == 0)
        #expect(try server.run("service", "add", "--spec", "docker-executor-deployment.json").status == 0)
        let client = StewardClient(
            configuration: .init(serverURL: server.url, identity: try Identity(privateKeyHex: try server.ownerKey)))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<40 {
                group.addTask {
                    try await client.setField(
                        name: "docker-executor", path: try JSONPath(parsing: "spec.env.KEY_\(index)"), value: .int(index))
                }
            }
            try await group.waitForAll()
        }
        let env = try await client.service(name: "docker-executor").spec["env"]
        for index in 0..<40 {
            #expect(env?["KEY_\(index)"] == .int(index), "KEY_\(index) was lost")
        }
    }
}
