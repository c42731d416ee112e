import HummingbirdTesting
import JSONSchema
import StewardCore
import StewardServer
import Testing

@Suite("API: namespaces and members")
struct NamespacesAPITests {
    @Test func namespacesAreIsolated() async throws {
        try await TestServer().run { api, _ in
            let alice = Identity.generate()
            let created = try await api.request(.post, "/api/v1/namespaces", json: ["name": "team-a", "owner": .string(alice.id)])
            #expect(created.status == .created)
            let asAlice = api.signing(as: alice)

            // The same service name in both namespaces.
            _ = try await api.createDefinition(Fixtures.executorDeploymentDefinition)
            _ = try await asAlice.createDefinition(Fixtures.executorDeploymentDefinition, namespace: "team-a")
            #expect(try await api.createService(Fixtures.service("web", replicas: 1)).status == .created)
            #expect(try await asAlice.createService(Fixtures.service("web", replicas: 2), namespace: "team-a").status == .created)
            #expect(try await api.getService("web").json["spec"]?["replicas"] == 1)
            #expect(try await asAlice.getService("web", namespace: "team-a").json["spec"]?["replicas"] == 2)

            // Each sees only its own namespace: another one answers 404, as if it did not exist.
            let hidden = try await asAlice.getService("web", namespace: "default")
            #expect(hidden.status == .notFound)
            #expect(hidden.error?.message == "namespace 'default' not found")
            #expect(try await asAlice.request(.get, "/api/v1/namespaces/default/services").status == .notFound)
            #expect(try await api.request(.get, "/api/v1/namespaces/team-a/services").status == .notFound)
            let whoami = try await asAlice.request(.get, "/api/v1/whoami")
            #expect(whoami.json["namespaces"] == [["name": "team-a", "role": "owner"]])
            let listed = try await api.request(.get, "/api/v1/namespaces")
            #expect(listed.json["items"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["default"])
        }
    }

    @Test func onlyTheAdminCreatesNamespaces() async throws {
        try await TestServer().run { api, _ in
            let stranger = Identity.generate()
            let refused = try await api.signing(as: stranger).request(.post, "/api/v1/namespaces", json: ["name": "mine"])
            #expect(refused.status == .forbidden)
            #expect(try await api.request(.post, "/api/v1/namespaces", json: ["name": "Bad_Name"]).status == .badRequest)
            #expect(try await api.request(.post, "/api/v1/namespaces", json: ["name": "default"]).status == .conflict)
        }
    }

    @Test func membersManageServicesButNotMembers() async throws {
        try await TestServer().run { api, _ in
            let member = Identity.generate()
            let added = try await api.request(
                .post, "/api/v1/namespaces/default/members", json: ["id": .string(member.id), "role": "member"])
            #expect(added.json["role"] == "member")
            let asMember = api.signing(as: member)
            _ = try await api.createDefinition(Fixtures.executorDeploymentDefinition)
            #expect(try await asMember.createService(Fixtures.service()).status == .created)
            #expect(try await asMember.request(.get, "/api/v1/namespaces/default/members").status == .ok)
            let other = Identity.generate()
            let refused = try await asMember.request(.post, "/api/v1/namespaces/default/members", json: ["id": .string(other.id)])
            #expect(refused.status == .forbidden)
            #expect(try await asMember.request(.delete, "/api/v1/namespaces/default/members/\(member.id)").status == .forbidden)
            #expect(try await api.request(.delete, "/api/v1/namespaces/default/members/\(member.id)").status == .noContent)
            #expect(try await asMember.getService("docker-executor").status == .notFound)
            let badID = try await api.request(.post, "/api/v1/namespaces/default/members", json: ["id": "nope"])
            #expect(badID.status == .badRequest)
            #expect(badID.error?.field == "id")
            let badRole = try await api.request(
                .post, "/api/v1/namespaces/default/members", json: ["id": .string(other.id), "role": "admin"])
            #expect(badRole.status == .badRequest)
        }
    }
}
