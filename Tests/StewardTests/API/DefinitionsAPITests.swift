import HummingbirdTesting
import JSONSchema
import StewardCore
import StewardServer
import Testing

@Suite("API: service definitions")
struct DefinitionsAPITests {
    let definitions = "/api/v1/namespaces/default/definitions"

    @Test func ownerAddsListsGetsUpdatesAndRemoves() async throws {
        try await TestServer().run { api, _ in
            let created = try await api.createDefinition(Fixtures.executorDeploymentDefinition)
            #expect(created.status == .created)
            #expect(created.json["metadata"]?["generation"] == 1)
            #expect(created.json["metadata"]?["namespace"] == "default")
            #expect(created.json["spec"]?["names"]?["kind"] == "ExecutorDeployment")

            let list = try await api.request(.get, definitions)
            #expect(list.json["items"]?.arrayValue?.count == 1)
            let name = "executordeployments.compute.colonies.io"
            let got = try await api.request(.get, "\(definitions)/\(name)")
            #expect(got.json == created.json)

            var changed = Fixtures.executorDeploymentDefinition
            changed["spec"]?["handler"]?["functionName"] = "reconcile2"
            let updated = try await api.request(.put, "\(definitions)/\(name)", json: changed)
            #expect(updated.status == .ok)
            #expect(updated.json["metadata"]?["generation"] == 2)
            #expect(updated.json["spec"]?["handler"]?["functionName"] == "reconcile2")

            #expect(try await api.request(.delete, "\(definitions)/\(name)").status == .noContent)
            #expect(try await api.request(.get, "\(definitions)/\(name)").status == .notFound)
        }
    }

    @Test func memberCannotAddADefinition() async throws {
        try await TestServer().run { api, _ in
            let member = Identity.generate()
            let added = try await api.request(
                .post, "/api/v1/namespaces/default/members", json: ["id": .string(member.id), "role": "member"])
            #expect(added.status == .created)
            let refused = try await api.signing(as: member).createDefinition(Fixtures.executorDeploymentDefinition)
            #expect(refused.status == .forbidden)
            #expect(refused.error?.message.contains("only owners of namespace 'default' may add service definitions") == true)
            // A member reads definitions.
            #expect(try await api.signing(as: member).request(.get, definitions).status == .ok)
        }
    }

    @Test func invalidSchemaIsRefusedWithTheReason() async throws {
        try await TestServer().run { api, _ in
            var definition = Fixtures.executorDeploymentDefinition
            definition["spec"]?["schema"]?["properties"]?["replicas"]?["type"] = "numbr"
            let response = try await api.createDefinition(definition)
            #expect(response.status == .badRequest)
            #expect(response.error?.message.hasPrefix("the definition's schema is invalid") == true)
            #expect(response.error?.field?.hasPrefix("spec.schema") == true)
        }
    }

    @Test func kindIsUniqueWithinANamespace() async throws {
        try await TestServer().run { api, _ in
            #expect(try await api.createDefinition(Fixtures.executorDeploymentDefinition).status == .created)
            var other = Fixtures.executorDeploymentDefinition
            other["metadata"]?["name"] = "other.compute.colonies.io"
            let response = try await api.createDefinition(other)
            #expect(response.status == .conflict)
            #expect(response.error?.message.contains("kind 'ExecutorDeployment' is already defined") == true)
            #expect(try await api.createDefinition(Fixtures.executorDeploymentDefinition).status == .conflict)
        }
    }

    @Test func removingADefinitionInUseConflicts() async throws {
        try await TestServer().run { api, _ in
            _ = try await api.createDefinition(Fixtures.executorDeploymentDefinition)
            _ = try await api.createService(Fixtures.service("one"))
            _ = try await api.createService(Fixtures.service("two"))
            let response = try await api.request(.delete, "\(definitions)/executordeployments.compute.colonies.io")
            #expect(response.status == .conflict)
            #expect(response.error?.message == "2 service(s) of kind 'ExecutorDeployment' still exist")
        }
    }

    @Test func updatedSchemaAppliesToLaterWrites() async throws {
        try await TestServer().run { api, _ in
            _ = try await api.createDefinition(Fixtures.executorDeploymentDefinition)
            #expect(try await api.createService(Fixtures.service("one", replicas: nil)).json["spec"]?["replicas"] == 1)
            var changed = Fixtures.executorDeploymentDefinition
            changed["spec"]?["schema"]?["properties"]?["replicas"]?["default"] = 2
            _ = try await api.request(.put, "\(definitions)/executordeployments.compute.colonies.io", json: changed)
            #expect(try await api.createService(Fixtures.service("two", replicas: nil)).json["spec"]?["replicas"] == 2)
        }
    }
}
