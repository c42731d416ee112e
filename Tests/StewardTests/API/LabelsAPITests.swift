import HummingbirdTesting
import JSONSchema
import StewardCore
import StewardServer
import Testing

/// Labels follow Kubernetes' syntax, so that every stored label can be selected; a malformed
/// selector is an error, not an empty list.
@Suite("API: labels and selectors")
struct LabelsAPITests {
    let services = "/api/v1/namespaces/default/services"

    func labelled(_ name: String, _ labels: JSON) -> JSON {
        var service = Fixtures.service(name)
        service["metadata"]?["labels"] = labels
        return service
    }

    @Test func labelsThatCannotBeSelectedAreRefused() async throws {
        try await TestServer().run { api, _ in
            _ = try await api.createDefinition(Fixtures.executorDeploymentDefinition)
            let cases: [(JSON, String, String)] = [
                (["app name": "x"], #"metadata.labels["app name"]"#, #"label key "app name" is not valid: a key must be at most 63 characters"#),
                (["tier": "a,b"], #"metadata.labels["tier"]"#, #"the value "a,b" of label "tier" is not valid: a value must be empty, or at most 63 characters"#),
                (.object(JSONObject([(String(repeating: "k", count: 64), JSON.string("x"))])), "", "label key"),
                (["Example.com/app": "x"], "", #"its prefix "Example.com" must be a DNS subdomain"#),
                (["-tier": "x"], "", "beginning and ending with a letter or digit"),
                (["tier": .string(String(repeating: "v", count: 64))], "", "a value must be empty, or at most 63 characters"),
            ]
            for (labels, field, message) in cases {
                let created = try await api.createService(labelled("web", labels))
                #expect(created.status == .badRequest, "\(labels)")
                #expect(created.error?.message.contains(message) == true, "\(labels): \(created.error?.message ?? "")")
                if !field.isEmpty { #expect(created.error?.field == field) }
            }
            // Valid labels, prefix and empty value included, are stored, and updates are checked too.
            let good: JSON = ["app.kubernetes.io/name": "web", "tier": "", "Release_1.2": "v1-2_3.x"]
            #expect(try await api.createService(labelled("web", good)).status == .created)
            let update = try await api.updateService(labelled("web", ["bad key": "x"]), name: "web")
            #expect(update.status == .badRequest)
            #expect(try await api.getService("web").json["metadata"]?["labels"] == good)
            let selected = try await api.request(.get, "\(services)?labelSelector=app.kubernetes.io/name%3Dweb,tier%3D")
            #expect(selected.json["items"]?.arrayValue?.count == 1)
        }
    }

    @Test func aMalformedSelectorIsAnErrorNamingIt() async throws {
        try await TestServer().run { api, _ in
            _ = try await api.createDefinition(Fixtures.executorDeploymentDefinition)
            #expect(try await api.createService(labelled("web", ["a": "b"])).status == .created)
            let cases = [
                ("a%3D%3D", #"label selector 'a==' is malformed: the value "=" of "a" is not valid"#),
                ("a", "label selector 'a' is malformed: 'a' is not of the form key=value"),
                ("a%3Db,", "label selector 'a=b,' is malformed: it has an empty requirement (a stray ',')"),
                ("%3Db", #"label selector '=b' is malformed: the key "" is not valid: a key must not be empty"#),
                ("a%3Db,a%3Dc", #"label selector 'a=b,a=c' is malformed: "a" is required to be both "b" and "c""#),
            ]
            for (query, message) in cases {
                let response = try await api.request(.get, "\(services)?labelSelector=\(query)")
                #expect(response.status == .badRequest, "\(query)")
                #expect(response.error?.field == "labelSelector")
                #expect(response.error?.message.hasPrefix(message) == true, "\(query): \(response.error?.message ?? "")")
            }
            #expect(try await api.request(.get, "\(services)?labelSelector=a%3Db").json["items"]?.arrayValue?.count == 1)
        }
    }
}
