import JSONSchema
import StewardCore
import Testing

@Suite("Model wire forms")
struct ModelTests {
    @Test func timestampsAreRFC3339UTC() throws {
        let t = Timestamp(secondsSince1970: 1_762_615_020)
        #expect(t.rfc3339 == "2025-11-08T15:17:00Z")
        #expect(Timestamp(rfc3339: "2025-11-08T15:17:00Z") == t)
        #expect(Timestamp(rfc3339: "2025-11-08T16:17:00.250+01:00") == t)
        #expect(Timestamp(rfc3339: "1969-12-31T23:59:59Z")?.secondsSince1970 == -1)
        #expect(Timestamp(rfc3339: "2025-13-08T15:17:00Z") == nil)
        #expect(Timestamp(rfc3339: "yesterday") == nil)
    }

    @Test func serviceRoundTrips() throws {
        var service = try Service(json: [
            "kind": "ExecutorDeployment",
            "metadata": ["name": "web", "labels": ["app": "web"]],
            "spec": ["replicas": 2],
        ])
        service.metadata.generation = 3
        service.metadata.resourceVersion = "17"
        service.metadata.createdAt = Timestamp(secondsSince1970: 0)
        let copy = try Service(json: service.json)
        #expect(copy == service)
        #expect(service.json["status"] == [:])
    }

    @Test func serviceErrorsNameTheField() {
        do {
            _ = try Service(json: ["kind": "X", "metadata": ["name": "a", "labels": ["k": 1]]])
            Issue.record("accepted a numeric label")
        } catch {
            #expect(error.field == "metadata.labels.k")
        }
        do {
            _ = try Service(json: ["metadata": ["name": "a"]])
            Issue.record("accepted a service without kind")
        } catch {
            #expect(error.message == "required field 'kind' is missing")
        }
    }

    @Test func definitionRoundTripsAndDefaultsNames() throws {
        let definition = try ServiceDefinition(json: [
            "metadata": ["name": "databases.example.io"],
            "spec": ["names": ["kind": "Database"], "handler": ["executorType": "db-reconciler"]],
        ])
        #expect(definition.spec.names.plural == "databases")
        #expect(definition.spec.handler?.functionName == "reconcile")
        #expect(try ServiceDefinition(json: definition.json) == definition)
    }

    @Test func errorWireFormRoundTrips() {
        let error = StewardError(.conflict, "it exists", field: "metadata.name")
        #expect(error.json == ["error": ["code": "conflict", "message": "it exists", "field": "metadata.name"]])
        #expect(StewardError(json: error.json) == error)
    }
}
