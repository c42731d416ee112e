import Foundation
import JSONSchema
import Testing

/// `steward service get`: the service with its reconciliation summary, and a missing service.
@Suite("steward service get")
struct ServiceGetTests {
    @Test("the table shows the Reconciliation summary between Spec and Deployment Status; JSON is the service alone")
    func reconciliationSummary() throws {
        let server = try TestServer()
        defer { server.stop() }
        #expect(try server.run("service", "definition", "add", "--spec", "executor-deployment-definition.json").status == 0)
        #expect(try server.run("service", "add", "--spec", "docker-executor-deployment.json").status == 0)

        let get = try server.run("service", "get", "--name", "docker-executor")
        #expect(get.status == 0, "\(get)")
        #expect(get.stderr.isEmpty, "\(get)")
        let titles = ["│ Service ", "│ Spec ", "│ Reconciliation ", "│ Deployment Status ", "│ Instances "]
        let positions = titles.compactMap { get.stdout.range(of: $0)?.lowerBound }
        #expect(positions.count == titles.count && positions == positions.sorted(), "\(get)")
        for row in ["│ Latest Process │ ", "│ Action         │ create ", "│ State          │ waiting ", "│ Attempt        │ 0 "] {
            #expect(get.stdout.contains(row), "missing \(row) in \(get)")
        }

        let json = try server.run("service", "get", "--name", "docker-executor", "-o", "json")
        #expect(json.status == 0, "\(json)")
        let document = try json.json()
        #expect(document["metadata"]?["name"] == "docker-executor")
        #expect(document["latest"] == nil)
    }

    @Test("a missing service is the service's not-found error, in every output format")
    func missing() throws {
        let server = try TestServer()
        defer { server.stop() }
        for format in ["table", "json", "yaml"] {
            let result = try server.run("service", "get", "--name", "nope", "-o", format)
            #expect(result.status == 1, "\(result)")
            #expect(result.stdout.isEmpty, "\(result)")
            #expect(result.stderr == "Error: service 'nope' not found in namespace 'default'\n", "\(result)")
        }
    }
}
