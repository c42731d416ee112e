import Foundation
import JSONSchema
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A newcomer's first session with the built-in supervisor, run with the built binary: a
/// ProcessDeployment of a small HTTP server with 3 replicas comes up running and ready, each
/// instance answers on its own port, its output is in `service logs`, scaling down stops
/// instances, and removal leaves no process behind.
@Suite("ProcessDeployment: a newcomer's session with steward server")
struct ProcessDeploymentSessionTests {
    static let spec = """
        {"kind": "ProcessDeployment", "metadata": {"name": "web"},
         "spec": {"command": ["sh", "-c", "exec python3 -m http.server $PORT --bind 127.0.0.1"],
                  "replicas": 3, "port": 0,
                  "healthCheck": {"http": {"path": "/"}, "interval": "1s"}}}
        """

    static func alive(_ pid: Int) -> Bool {
        kill(pid_t(pid), 0) == 0 && !((try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8))?.contains(") Z ") ?? true)
    }

    /// Waits up to 30 s for `condition`.
    static func eventually(_ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if try condition() { return true }
            usleep(50_000)
        }
        return try condition()
    }

    @Test func addWaitGetCurlLogsScaleAndRemove() throws {
        let server = try TestServer(flags: ["--stop-instances"])
        defer { server.stop() }
        // http.server takes its port as an argument: sh passes it the PORT Steward picked.
        try Self.spec.write(to: server.directory.appendingPathComponent("web.json"), atomically: true, encoding: .utf8)

        let add = try server.run("service", "add", "--spec", "web.json", "--wait", "--timeout", "60s")
        #expect(add.status == 0, "\(add)")
        #expect(add.stderr.contains("service/web reconciled"), "\(add)")

        let get = try server.run("service", "get", "--name", "web")
        #expect(get.status == 0, "\(get)")
        #expect(get.stdout.contains("│ Running Instances   │ 3"), "\(get)")
        #expect(get.stdout.contains("│ Ready               │ True (AllReady): 3 of 3 instances ready"), "\(get)")
        for replica in 0..<3 { #expect(get.stdout.contains("│ web-\(replica) │ web-\(replica)-"), "\(get)") }

        let status = try server.run("service", "get", "--name", "web", "-o", "json").json()["status"]!
        let instances = status["instances"]!.arrayValue!
        #expect(instances.count == 3)
        #expect(instances.allSatisfy { $0["state"]?.stringValue == "RUNNING" && $0["ready"]?.boolValue == true })
        let pids = instances.compactMap { $0["pid"]?.intValue }
        let ports = instances.compactMap { $0["port"]?.intValue }
        #expect(pids.count == 3 && Set(ports).count == 3)
        #expect(pids.allSatisfy(Self.alive))

        // Each instance answers on its own port.
        for port in ports {
            let page = try Data(contentsOf: URL(string: "http://127.0.0.1:\(port)/")!)
            #expect(String(decoding: page, as: UTF8.self).contains("Directory listing"))
            _ = try? Data(contentsOf: URL(string: "http://127.0.0.1:\(port)/from-the-test")!)
        }
        // Its output (http.server logs each request on stderr) is in service logs.
        #expect(
            try Self.eventually {
                let logs = try server.run("service", "logs", "--name", "web")
                return logs.status == 0 && logs.stdout.components(separatedBy: "GET /from-the-test").count - 1 == 3
            })

        let scale = try server.run("service", "set", "--name", "web", "--key", "spec.replicas", "--value", "1", "--wait")
        #expect(scale.status == 0, "\(scale)")
        #expect(try Self.eventually { pids.filter(Self.alive).count == 1 }, "scaling to 1 stops two instances")
        #expect(Self.alive(pids[0]), "replica 0 stays (the highest replicas go first)")

        let remove = try server.run("service", "remove", "--name", "web", "--wait")
        #expect(remove.status == 0, "\(remove)")
        #expect(remove.stderr.contains("service/web removed"), "\(remove)")
        #expect(pids.allSatisfy { !Self.alive($0) }, "no process is left behind")
    }
}
