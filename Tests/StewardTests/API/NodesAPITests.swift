import Foundation
import HummingbirdTesting
import JSONSchema
import StewardCore
import StewardServer
import Testing

@Suite("API: nodes and their heartbeats")
struct NodesAPITests {
    static let heartbeat: JSON = [
        "labels": ["zone": "a"], "memoryCapacity": 8_589_934_592, "cpus": 4, "instances": 3, "version": "1.2.3",
    ]

    @Test func aHeartbeatRegistersTheNodeAndLaterOnesUpdateIt() async throws {
        try await TestServer().run { api, components in
            let first = try await api.request(.put, "/api/v1/nodes/web-1", json: Self.heartbeat)
            #expect(first.status == .ok, "\(first.json)")
            #expect(first.json["name"] == "web-1")
            #expect(first.json["state"] == "Ready")
            #expect(first.json["identity"] == .string(components.owner.id))
            #expect(first.json["labels"] == ["zone": "a"])
            #expect(first.json["memoryCapacity"] == 8_589_934_592)
            #expect(first.json["instances"] == 3)

            let second = try await api.request(.put, "/api/v1/nodes/web-1", json: ["labels": ["zone": "b"], "instances": 0])
            #expect(second.json["labels"] == ["zone": "b"])
            #expect(second.json["instances"] == 0)
            #expect(second.json["memoryCapacity"] == .null)
            #expect(second.json["registeredAt"] == first.json["registeredAt"])

            let listed = try await api.request(.get, "/api/v1/nodes")
            #expect(listed.json["items"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["web-1"])
            #expect(try await api.request(.get, "/api/v1/nodes/web-1").json["labels"] == ["zone": "b"])
            let missing = try await api.request(.get, "/api/v1/nodes/web-2")
            #expect(missing.status == .notFound)
            #expect(missing.error?.message == "node 'web-2' not found; `steward node ls` lists the nodes")
        }
    }

    @Test func oneNameOneIdentityAndOnlyMembersSeeNodes() async throws {
        try await TestServer().run { api, _ in
            #expect(try await api.request(.put, "/api/v1/nodes/web-1", json: Self.heartbeat).status == .ok)
            let stranger = Identity.generate()
            let refused = try await api.signing(as: stranger).request(.get, "/api/v1/nodes")
            #expect(refused.status == .forbidden)
            #expect(try await api.signing(as: stranger).request(.put, "/api/v1/nodes/x", json: Self.heartbeat).status == .forbidden)

            let member = Identity.generate()
            _ = try await api.request(.post, "/api/v1/namespaces/default/members", json: ["id": .string(member.id), "role": "member"])
            let asMember = api.signing(as: member)
            let taken = try await asMember.request(.put, "/api/v1/nodes/web-1", json: Self.heartbeat)
            #expect(taken.status == .conflict)
            #expect(taken.error?.message.hasPrefix("node 'web-1' is registered by another identity") == true, "\(taken.json)")
            #expect(try await asMember.request(.delete, "/api/v1/nodes/web-1").status == .forbidden)
            // Its own node it may register and remove; the owner of default may remove any.
            #expect(try await asMember.request(.put, "/api/v1/nodes/web-2", json: Self.heartbeat).status == .ok)
            #expect(try await asMember.request(.delete, "/api/v1/nodes/web-2").status == .noContent)
            #expect(try await api.request(.delete, "/api/v1/nodes/web-1").status == .noContent)
            #expect(try await asMember.request(.put, "/api/v1/nodes/web-1", json: Self.heartbeat).status == .ok)
        }
    }

    @Test(arguments: [
        ("/api/v1/nodes/bad%20name", Self.heartbeat, "name"),
        ("/api/v1/nodes/n", ["instances": -1] as JSON, "instances"),
        ("/api/v1/nodes/n", ["memoryCapacity": -5] as JSON, "memoryCapacity"),
        ("/api/v1/nodes/n", ["cpus": "four"] as JSON, "cpus"),
        ("/api/v1/nodes/n", ["labels": ["-bad": "x"]] as JSON, "labels"),
        ("/api/v1/nodes/n", ["labels": "zone=a"] as JSON, "labels"),
    ])
    func aBadHeartbeatIsRefusedNamingTheField(path: String, body: JSON, field: String) async throws {
        try await TestServer().run { api, _ in
            let refused = try await api.request(.put, path, json: body)
            #expect(refused.status == .badRequest, "\(refused.json)")
            #expect(refused.json["error"]?["field"]?.stringValue?.hasPrefix(field) == true, "\(refused.json)")
            #expect(try await api.request(.get, "/api/v1/nodes").json["items"] == [])
        }
    }

    @Test func aNodeThatStopsHeartbeatingIsUnknownAfterTheGracePeriod() async throws {
        try await TestServer { $0.nodeGracePeriod = .milliseconds(500) }.run(.live) { api, _ in
            #expect(try await api.request(.put, "/api/v1/nodes/web-1", json: Self.heartbeat).json["state"] == "Ready")
            try await Task.sleep(for: .milliseconds(1600))
            #expect(try await api.request(.get, "/api/v1/nodes/web-1").json["state"] == "Unknown")
            #expect(try await api.request(.put, "/api/v1/nodes/web-1", json: Self.heartbeat).json["state"] == "Ready")
        }
    }
}
