import Foundation
import JSONSchema
import Testing

/// Identities, members and namespaces through the CLI.
@Suite("Members and namespaces")
struct MembersTests {
    @Test("an owner adds a member who may manage services but not definitions; removal revokes access")
    func memberRights() throws {
        let server = try TestServer()
        defer { server.stop() }
        let key = try server.run("key", "generate", "-o", "json").json()
        let memberKey = try #require(key["prvkey"]?.stringValue)
        let memberID = try #require(key["id"]?.stringValue)
        let asMember = ["STEWARD_PRVKEY": memberKey]

        let add = try server.run("member", "add", "--id", memberID, "--role", "member")
        #expect(add.status == 0, "\(add)")
        let members = try server.run("member", "ls")
        #expect(members.stdout.contains("│ \(memberID) │ member │"), "\(members)")
        #expect(members.stdout.contains("│ owner  │"), "\(members)")

        let definition = try server.run("service", "definition", "add", "--spec", "executor-deployment-definition.json", environment: asMember)
        #expect(definition.status == 1, "\(definition)")
        #expect(definition.stderr.hasPrefix("Error: "), "\(definition)")
        #expect(try server.run("service", "definition", "add", "--spec", "executor-deployment-definition.json").status == 0)
        let service = try server.run("service", "add", "--spec", "docker-executor-deployment.json", environment: asMember)
        #expect(service.status == 0, "\(service)")
        let whoami = try server.run("whoami", "-o", "json", environment: asMember).json()
        #expect(whoami["namespaces"]?[0]?["role"] == "member")

        #expect(try server.run("member", "remove", "--id", memberID).status == 0)
        let denied = try server.run("service", "ls", environment: asMember)
        #expect(denied.status == 1, "\(denied)")
    }

    @Test("a key whose signatures can be forged is refused as a member")
    func weakKeysAreRefused() throws {
        let server = try TestServer()
        defer { server.stop() }
        let identityPoint = "01" + String(repeating: "00", count: 31)
        let add = try server.run("member", "add", "--id", identityPoint)
        #expect(add.status == 1, "\(add)")
        #expect(
            add.stderr.hasPrefix(
                "Error: '\(identityPoint)' is refused as an identity id: it is a point of small order, whose signatures can be forged for any message"
            ), "\(add)")
        // The owner, and the server's own identity (its supervisor is a member of every namespace).
        #expect(try server.run("member", "ls", "-o", "json").json()["items"]?.arrayValue?.count == 2)
    }

    @Test("namespaces are separate: the same service name lives in two namespaces")
    func namespaces() throws {
        let server = try TestServer()
        defer { server.stop() }
        let created = try server.run("namespace", "add", "--name", "team-a")
        #expect(created.status == 0, "\(created)")
        let list = try server.run("namespace", "ls", "-o", "json").json()
        #expect(Set(list["items"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []) == ["default", "team-a"])

        for namespace in ["default", "team-a"] {
            #expect(try server.run("service", "definition", "add", "--spec", "executor-deployment-definition.json", "--namespace", namespace).status == 0)
            #expect(try server.run("service", "add", "--spec", "docker-executor-deployment.json", "--namespace", namespace).status == 0)
        }
        #expect(try server.run("service", "set", "--name", "docker-executor", "--key", "spec.replicas", "--value", "9", "--namespace", "team-a").status == 0)
        let inDefault = try server.run("service", "get", "--name", "docker-executor", "-o", "json").json()
        let inTeam = try server.run("service", "get", "--name", "docker-executor", "-o", "json", environment: ["STEWARD_NAMESPACE": "team-a"]).json()
        #expect(inDefault["spec"]?["replicas"] == 3)
        #expect(inTeam["spec"]?["replicas"] == 9)
        #expect(inTeam["metadata"]?["namespace"] == "team-a")
    }

    @Test("removing a definition in use is refused with the count of services")
    func definitionInUse() throws {
        let server = try TestServer()
        defer { server.stop() }
        #expect(try server.run("service", "definition", "add", "--spec", "executor-deployment-definition.json").status == 0)
        #expect(try server.run("service", "add", "--spec", "docker-executor-deployment.json").status == 0)
        let refused = try server.run("service", "definition", "remove", "--name", "executordeployments.compute.colonies.io")
        #expect(refused.status == 1)
        #expect(refused.stderr == "Error: 1 service(s) of kind 'ExecutorDeployment' still exist\n", "\(refused)")
        #expect(try server.run("service", "remove", "--name", "docker-executor").status == 0)
        let removed = try server.run("service", "definition", "remove", "--name", "executordeployments.compute.colonies.io")
        #expect(removed.status == 0, "\(removed)")
        let left = try server.run("service", "definition", "ls", "-o", "json").json()["items"]?.arrayValue ?? []
        #expect(left.compactMap { $0["metadata"]?["name"]?.stringValue } == ["processdeployments.steward.io"], "only the built-in kind is left")
    }

    @Test("steward server --max-body-size refuses larger bodies, and the CLI reports it")
    func bodyLimit() throws {
        let server = try TestServer(flags: ["--max-body-size", "2048"])
        defer { server.stop() }
        #expect(server.output.contains("Steward listening on http://127.0.0.1:\(server.port)"), "\(server.output)")
        #expect(try server.run("service", "definition", "add", "--spec", "executor-deployment-definition.json").status == 0)
        let big = String(repeating: "x", count: 4096)
        try #"{"kind":"ExecutorDeployment","metadata":{"name":"big"},"spec":{"image":"\#(big)","executorType":"t"}}"#
            .write(to: server.directory.appendingPathComponent("big.json"), atomically: true, encoding: .utf8)
        let refused = try server.run("service", "add", "--spec", "big.json")
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.stderr.hasPrefix("Error: "), "\(refused)")
        #expect(try server.run("service", "ls", "-o", "json").json()["items"] == .array([]))
    }
}
