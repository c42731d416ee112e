import HummingbirdTesting
import JSONSchema
import StewardCore
import StewardServer
import Testing

@Suite("API: services")
struct ServicesAPITests {
    let services = "/api/v1/namespaces/default/services"

    @Test func createAppliesDefaultsAndSetsMetadata() async throws {
        try await TestServer().run { api, components in
            _ = try await api.createDefinition(Fixtures.executorDeploymentDefinition)
            let created = try await api.createService(Fixtures.service(replicas: nil))
            #expect(created.status == .created)
            let service = try Service(json: created.json)
            #expect(service.spec["replicas"] == 1)
            #expect(service.metadata.generation == 1)
            #expect(service.metadata.namespace == "default")
            #expect(service.metadata.resourceVersion != nil)
            #expect(service.metadata.createdAt != nil)
            #expect(service.status == [:])
            let got = try await api.getService("docker-executor")
            #expect(got.status == .ok)
            #expect(got.json == created.json)
            let history = try await api.request(.get, "\(services)/docker-executor/history")
            #expect(history.json["items"]?[0]?["by"] == .string(components.owner.id))
        }
    }

    @Test func unknownKindIs400() async throws {
        try await TestServer().run { api, _ in
            let response = try await api.createService(Fixtures.service())
            #expect(response.status == .badRequest)
            #expect(response.error?.message == "ServiceDefinition for kind 'ExecutorDeployment' not found in namespace 'default'")
            #expect(response.error?.field == "kind")
        }
    }

    @Test func validationFailureNamesTheField() async throws {
        try await TestServer().run { api, _ in
            _ = try await api.createDefinition(Fixtures.executorDeploymentDefinition)
            var missing = Fixtures.service()
            missing["spec"]?["image"] = nil
            let response = try await api.createService(missing)
            #expect(response.status == .badRequest)
            #expect(response.error?.code == .validationFailed)
            #expect(response.error?.message == "service validation failed: required field 'image' is missing")
            #expect(response.error?.field == "spec.image")

            var badPort = Fixtures.service("ports")
            badPort["spec"]?["ports"] = [["name": "http", "port": 70000]]
            badPort["spec"]?["replicas"] = "three"
            let both = try await api.createService(badPort)
            #expect(both.status == .badRequest)
            #expect(both.error?.message.hasPrefix("service validation failed: ") == true)
            #expect(both.error?.message.contains("; ") == true)
        }
    }

    @Test func duplicateIs409AndMissingIs404() async throws {
        try await TestServer().run { api, _ in
            _ = try await api.createDefinition(Fixtures.executorDeploymentDefinition)
            #expect(try await api.createService(Fixtures.service()).status == .created)
            let duplicate = try await api.createService(Fixtures.service())
            #expect(duplicate.status == .conflict)
            #expect(duplicate.error?.message == "service 'docker-executor' already exists in namespace 'default'")
            let missing = try await api.getService("nothing")
            #expect(missing.status == .notFound)
            #expect(missing.error?.message == "service 'nothing' not found in namespace 'default'")
            #expect(try await api.updateService(Fixtures.service("nothing"), name: "nothing").status == .notFound)
            #expect(try await api.request(.delete, "\(services)/nothing").status == .notFound)
        }
    }

    @Test func nameRulesAreEnforced() async throws {
        try await TestServer().run { api, _ in
            _ = try await api.createDefinition(Fixtures.executorDeploymentDefinition)
            for (name, rule) in [
                ("Docker", "must begin with a lower-case letter"),
                ("docker_executor", "may contain only lower-case letters"),
                ("docker-", "not a hyphen"),
                (String(repeating: "d", count: 25), "at most 32 are allowed including the '<namespace>-' prefix"),
            ] {
                let response = try await api.createService(Fixtures.service(name))
                #expect(response.status == .badRequest, "\(name)")
                #expect(response.error?.message.contains(rule) == true, "\(name): \(response.error?.message ?? "")")
                #expect(response.error?.field == "metadata.name")
            }
        }
    }

    @Test func generationMovesOnlyWhenTheSpecChanges() async throws {
        try await TestServer().run { api, _ in
            _ = try await api.createDefinition(Fixtures.executorDeploymentDefinition)
            let created = try await api.createService(Fixtures.service())
            var document = created.json
            document["metadata"]?["labels"] = ["tier": "front"]
            let relabelled = try await api.updateService(document, name: "docker-executor")
            #expect(relabelled.status == .ok)
            #expect(relabelled.json["metadata"]?["generation"] == 1)
            #expect(relabelled.json["metadata"]?["labels"] == ["tier": "front"])
            let rv1 = try #require(created.json["metadata"]?["resourceVersion"]?.stringValue)
            let rv2 = try #require(relabelled.json["metadata"]?["resourceVersion"]?.stringValue)
            #expect(Int(rv2)! > Int(rv1)!)

            document = relabelled.json
            document["spec"]?["replicas"] = 5
            let scaled = try await api.updateService(document, name: "docker-executor")
            #expect(scaled.json["metadata"]?["generation"] == 2)
            #expect(Int(scaled.json["metadata"]?["resourceVersion"]?.stringValue ?? "")! > Int(rv2)!)
        }
    }

    @Test func staleResourceVersionIs409() async throws {
        try await TestServer().run { api, _ in
            _ = try await api.createDefinition(Fixtures.executorDeploymentDefinition)
            let created = try await api.createService(Fixtures.service()).json
            var first = created
            first["spec"]?["replicas"] = 4
            #expect(try await api.updateService(first, name: "docker-executor").status == .ok)
            var stale = created
            stale["spec"]?["replicas"] = 6
            let response = try await api.updateService(stale, name: "docker-executor")
            #expect(response.status == .conflict)
            #expect(response.error?.field == "metadata.resourceVersion")
            #expect(response.error?.message.contains("was changed meanwhile") == true)
            // Without a resourceVersion the update is unconditional.
            stale["metadata"]?["resourceVersion"] = nil
            #expect(try await api.updateService(stale, name: "docker-executor").status == .ok)
        }
    }

    @Test func statusIsWrittenOnlyThroughItsEndpoint() async throws {
        try await TestServer().run { api, _ in
            _ = try await api.createDefinition(Fixtures.executorDeploymentDefinition)
            _ = try await api.createService(Fixtures.service())
            let status: JSON = ["runningInstances": 3, "totalInstances": 3, "instances": []]
            let written = try await api.request(.put, "\(services)/docker-executor/status", json: ["status": status])
            #expect(written.status == .ok)
            #expect(written.json["status"] == status)
            #expect(written.json["metadata"]?["generation"] == 1)

            var update = written.json
            update["status"] = ["runningInstances": 0]
            update["spec"]?["replicas"] = 1
            let updated = try await api.updateService(update, name: "docker-executor")
            #expect(updated.json["status"] == status)
            #expect(try await api.getService("docker-executor").json["status"] == status)

            // Members manage services but do not write status.
            let member = Identity.generate()
            _ = try await api.request(.post, "/api/v1/namespaces/default/members", json: ["id": .string(member.id)])
            let refused = try await api.signing(as: member).request(
                .put, "\(services)/docker-executor/status", json: ["status": [:]])
            #expect(refused.status == .forbidden)
        }
    }

    @Test func historyIsNewestFirst() async throws {
        try await TestServer().run { api, _ in
            _ = try await api.createDefinition(Fixtures.executorDeploymentDefinition)
            var document = try await api.createService(Fixtures.service()).json
            for replicas in [4, 5] {
                document["spec"]?["replicas"] = .int(replicas)
                document["metadata"]?["resourceVersion"] = nil
                _ = try await api.updateService(document, name: "docker-executor")
            }
            let removed = try await api.request(.delete, "\(services)/docker-executor")
            #expect(removed.status == .ok)
            #expect(removed.json["spec"]?["replicas"] == 5)
            let history = try await api.request(.get, "\(services)/docker-executor/history")
            let items = try #require(history.json["items"]?.arrayValue)
            #expect(items.map { $0["changeType"] } == ["deleted", "updated", "updated", "created"])
            #expect(items.map { $0["generation"] } == [3, 3, 2, 1])
            #expect(items[1]["spec"]?["replicas"] == 5)
            #expect(items[3]["spec"]?["replicas"] == 3)
        }
    }

    @Test func listFiltersByKindAndLabels() async throws {
        try await TestServer().run { api, _ in
            _ = try await api.createDefinition(Fixtures.executorDeploymentDefinition)
            _ = try await api.createDefinition(Fixtures.schemalessDefinition(kind: "Database", name: "databases.example.io"))
            var a = Fixtures.service("a")
            a["metadata"]?["labels"] = ["app": "web", "tier": "front"]
            _ = try await api.createService(a)
            _ = try await api.createService(Fixtures.service("b"))
            _ = try await api.createService(["kind": "Database", "metadata": ["name": "c", "labels": ["app": "web"]], "spec": [:]])
            func names(_ query: String) async throws -> [String] {
                let response = try await api.request(.get, services + query)
                #expect(response.json["revision"]?.intValue != nil)
                return response.json["items"]?.arrayValue?.compactMap { $0["metadata"]?["name"]?.stringValue } ?? []
            }
            #expect(try await names("") == ["a", "b", "c"])
            #expect(try await names("?kind=ExecutorDeployment") == ["a", "b"])
            #expect(try await names("?labelSelector=app%3Dweb") == ["a", "c"])
            #expect(try await names("?kind=Database&labelSelector=app%3Dweb") == ["c"])
            #expect(try await names("?labelSelector=app%3Dweb,tier%3Dfront") == ["a"])
            #expect(try await names("?labelSelector=app=web") == ["a", "c"])
            #expect(try await api.request(.get, services + "?labelSelector=novalue").status == .badRequest)
        }
    }
}
