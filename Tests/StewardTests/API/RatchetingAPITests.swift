import HummingbirdTesting
import JSONSchema
import StewardCore
import StewardServer
import Testing

/// Tightening a definition's schema (Kubernetes' validation ratcheting): services stored before
/// stay updatable where the update leaves their invalid fields as they are, and the definition
/// update reports them.
@Suite("API: validation ratcheting")
struct RatchetingAPITests {
    let definitions = "/api/v1/namespaces/default/definitions"
    let name = "executordeployments.compute.colonies.io"

    /// The fixture definition with `tier` (a string) required.
    var tightened: JSON {
        var definition = Fixtures.executorDeploymentDefinition
        definition["spec"]?["schema"]?["properties"]?["tier"] = ["type": "string", "enum": ["web", "db"]]
        definition["spec"]?["schema"]?["required"] = ["image", "executorType", "tier"]
        return definition
    }

    /// Adds the fixture definition and services `names`, then tightens the schema; returns the
    /// update's response.
    func strand(_ names: [String], _ api: API) async throws -> TestResponse {
        #expect(try await api.createDefinition(Fixtures.executorDeploymentDefinition).status == .created)
        for service in names { #expect(try await api.createService(Fixtures.service(service)).status == .created) }
        return try await api.request(.put, "\(definitions)/\(name)", json: tightened)
    }

    @Test func definitionUpdateReportsServicesThatNoLongerValidate() async throws {
        try await TestServer().run { api, _ in
            let names = ["a", "b", "c", "d", "e", "f", "g"]
            let update = try await strand(names, api)
            #expect(update.status == .ok)
            #expect(update.json["metadata"]?["generation"] == 2)
            let report = try ServiceRevalidation(json: try #require(update.json["revalidation"]))
            #expect(report.checked == 7)
            #expect(report.invalid == 7)
            #expect(report.examples.map(\.name) == ["a", "b", "c", "d", "e"])
            #expect(report.examples.first?.errors == ["required field 'tier' is missing"])
            #expect(report.summary(kind: "ExecutorDeployment")
                == "7 of 7 existing services of kind ExecutorDeployment no longer validate: a (required field 'tier' is missing), b (required field 'tier' is missing), c (required field 'tier' is missing), d (required field 'tier' is missing), e (required field 'tier' is missing), and 2 more")

            // A service made valid no longer counts.
            var fixed = Fixtures.service("a")
            fixed["spec"]?["tier"] = "web"
            #expect(try await api.updateService(fixed, name: "a").status == .ok)
            let again = try await api.request(.put, "\(definitions)/\(name)", json: tightened)
            #expect(again.json["revalidation"]?["invalid"] == 6)
            #expect(again.json["revalidation"]?["checked"] == 7)
        }
    }

    @Test func anUpdateThatLeavesTheInvalidFieldUnchangedIsAllowed() async throws {
        try await TestServer().run { api, _ in
            _ = try await strand(["web"], api)
            // A label change ...
            var relabelled = Fixtures.service("web")
            relabelled["metadata"]?["labels"] = ["team": "core"]
            let labelled = try await api.updateService(relabelled, name: "web")
            #expect(labelled.status == .ok, "\(labelled.text)")
            #expect(labelled.json["metadata"]?["labels"]?["team"] == "core")
            // ... and a change of another field.
            var scaled = relabelled
            scaled["spec"]?["replicas"] = 5
            let changed = try await api.updateService(scaled, name: "web")
            #expect(changed.status == .ok, "\(changed.text)")
            #expect(changed.json["spec"]?["replicas"] == 5)
            #expect(changed.json["metadata"]?["generation"] == 2)
        }
    }

    @Test func anUpdateThatTouchesTheInvalidFieldOrAddsAnErrorIsRefused() async throws {
        try await TestServer().run { api, _ in
            _ = try await strand(["web"], api)
            // Setting the required field to a value the schema refuses.
            var wrongTier = Fixtures.service("web")
            wrongTier["spec"]?["tier"] = "cache"
            let touched = try await api.updateService(wrongTier, name: "web")
            #expect(touched.status == .badRequest)
            #expect(touched.error?.field == "spec.tier")
            #expect(touched.error?.message == "service validation failed: field 'tier' must be one of [web, db], got \"cache\"")
            // A new error elsewhere, with the stranded field left alone: only the new one is reported.
            var badImage = Fixtures.service("web")
            badImage["spec"]?["image"] = 5
            let added = try await api.updateService(badImage, name: "web")
            #expect(added.status == .badRequest)
            #expect(added.error?.message == "service validation failed: field 'image' must be a string, got number")
            // Nothing was written.
            let stored = try await api.getService("web")
            #expect(stored.json["metadata"]?["generation"] == 1)
            #expect(stored.json["spec"]?["image"] == "colonyos/dockerexecutor:v1.0.5")
            // A new service must satisfy the tightened schema in full.
            let created = try await api.createService(Fixtures.service("fresh"))
            #expect(created.status == .badRequest)
            #expect(created.error?.message == "service validation failed: required field 'tier' is missing")
        }
    }

    @Test func anErrorTheUpdateIntroducesAtAnUnchangedPathIsRefused() async throws {
        // `dependentRequired` reports at the missing field, whose (absent) value is unchanged;
        // the error is still new, since the update added the field that requires it.
        try await TestServer().run { api, _ in
            var definition = Fixtures.executorDeploymentDefinition
            definition["spec"]?["schema"]?["dependentRequired"] = ["tls": ["certificate"]]
            #expect(try await api.createDefinition(definition).status == .created)
            #expect(try await api.createService(Fixtures.service("web")).status == .created)
            var withTLS = Fixtures.service("web")
            withTLS["spec"]?["tls"] = true
            let refused = try await api.updateService(withTLS, name: "web")
            #expect(refused.status == .badRequest)
            #expect(refused.error?.message.contains("required field 'certificate' is missing") == true)
        }
    }
}
