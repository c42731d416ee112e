import Foundation
import JSONSchema
import StewardClient
import StewardCore
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension RealProcessReconciliationTests {
    /// Real `steward server` and real `steward executor run` processes: SIGKILL of an executor that
    /// holds a process, and a server restart while processes wait and run.
    @Suite("Reconciliation with real executor processes", .serialized)
    struct ExecutorProcessTests {
        /// A data directory, a port, and how to start the server and executors on them.
        final class Cluster: @unchecked Sendable {
            let directory: TemporaryDirectory
            let port: Int
            var server: StewardProcess?
            var executors: [String: StewardProcess] = [:]
            var url: String { "http://127.0.0.1:\(port)" }
            var home: String { directory.path + "/home" }

            init() throws {
                directory = try TemporaryDirectory("steward-executors")
                port = try ServerProcess.freePort()
            }

            /// Starts the server with leases of `lease` (short, so that a killed executor's lease
            /// runs out within the test).
            func startServer(lease: String = "2s") async throws {
                let server = try StewardProcess(
                    ["server", "--lease-duration", lease, "--backoff-initial", "100ms"],
                    environment: [
                        "STEWARD_HOME": home, "STEWARD_PORT": String(port), "STEWARD_HOST": "127.0.0.1",
                        "STEWARD_CONFIG": directory.path + "/config.json",
                    ], logPath: directory.path + "/server.log")
                self.server = server
                guard await server.waitForOutput(containing: "Steward listening on") else {
                    throw ServerProcess.Failure(description: "steward server did not start:\n\(server.output)")
                }
            }

            func ownerClient() throws -> StewardClient {
                let key = try String(contentsOfFile: home + "/keys/owner.key", encoding: .utf8)
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                return StewardClient(configuration: .init(serverURL: url, identity: try Identity(privateKeyHex: key)))
            }

            func startExecutor(_ name: String, delay: String, fail: String? = nil) throws {
                let key = try String(contentsOfFile: home + "/keys/owner.key", encoding: .utf8)
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                executors[name] = try StewardProcess(
                    [
                        "executor", "run", "--type", "web-reconciler", "--name", name, "--delay", delay, "--heartbeat",
                        "500ms",
                    ] + (fail.map { ["--fail", $0] } ?? []),
                    environment: ["STEWARD_SERVER": url, "STEWARD_PRVKEY": key],
                    logPath: directory.path + "/\(name).log")
            }

            func stopAll() {
                for executor in executors.values { executor.kill() }
                server?.kill()
                directory.remove()
            }
        }

        static func waitUntil(_ timeout: Duration, _ condition: () async throws -> Bool) async throws -> Bool {
            let deadline = ContinuousClock.now + timeout
            while ContinuousClock.now < deadline {
                if try await condition() { return true }
                try await Task.sleep(for: .milliseconds(100))
            }
            return try await condition()
        }

        static func converged(_ client: StewardClient, _ name: String, generation: Int) async throws -> Bool {
            guard let service = try? await client.service(name: name) else { return false }
            return ReconciliationProgress.evaluate(service.json, generation: generation, fresh: false) == .done
        }

        @Test(.timeLimit(.minutes(3)))
        func aKilledExecutorsProcessGoesToAnotherAfterTheLease() async throws {
            let cluster = try Cluster()
            defer { cluster.stopAll() }
            try await cluster.startServer()
            let owner = try cluster.ownerClient()
            _ = try await owner.createDefinition(LiveReconcilerTests.definition(executorType: "web-reconciler"))
            try cluster.startExecutor("slow-1", delay: "120s")
            #expect(await cluster.executors["slow-1"]!.waitForOutput(containing: "registered"))
            _ = try await owner.createService(LiveReconcilerTests.web("a", replicas: 2))
            // slow-1 takes the process and would work on it for two minutes.
            #expect(try await Self.waitUntil(.seconds(10)) {
                try await owner.processes(service: "a", state: .running).first?.executorName == "slow-1"
            })
            try cluster.startExecutor("slow-2", delay: "1s")
            #expect(await cluster.executors["slow-2"]!.waitForOutput(containing: "registered"))
            cluster.executors["slow-1"]!.kill(SIGKILL)
            let killedAt = ContinuousClock.now
            // After the 2 s lease runs out, slow-2 gets it and the service converges.
            #expect(try await Self.waitUntil(.seconds(20)) { try await Self.converged(owner, "a", generation: 1) })
            let elapsed = ContinuousClock.now - killedAt
            #expect(elapsed >= .milliseconds(1500), "reassigned before the lease ran out: \(elapsed)")
            let process = try #require(try await owner.processes(service: "a").first)
            #expect(process.state == .succeeded)
            #expect(process.executorName == "slow-2")
            #expect(process.attempt == 2)
            #expect(cluster.executors["slow-2"]!.output.contains("closed: success"))
        }

        @Test(.timeLimit(.minutes(3)))
        func aServerRestartLosesNoProcessAndRunsNoneTwiceAtOnce() async throws {
            let cluster = try Cluster()
            defer { cluster.stopAll() }
            // No lease should run out here: 10 s leaves room for a restart on a loaded machine
            // (the executors retry with backoff while the server is down).
            try await cluster.startServer(lease: "10s")
            let owner = try cluster.ownerClient()
            _ = try await owner.createDefinition(LiveReconcilerTests.definition(executorType: "web-reconciler"))
            try cluster.startExecutor("e1", delay: "1500ms")
            try cluster.startExecutor("e2", delay: "1500ms")
            let names = (1...6).map { "svc-\($0)" }
            for name in names { _ = try await owner.createService(LiveReconcilerTests.web(name, replicas: 1)) }
            // Two run, four wait: restart the server abruptly now.
            #expect(try await Self.waitUntil(.seconds(10)) {
                try await owner.processes(state: .running).count == 2
            })
            cluster.server!.kill(SIGKILL)
            try await Task.sleep(for: .milliseconds(500))
            try await cluster.startServer(lease: "10s")
            #expect(try await Self.waitUntil(.seconds(60)) {
                var all = true
                for name in names where !(try await Self.converged(owner, name, generation: 1)) { all = false }
                return all
            })
            let processes = try await owner.processes(limit: 100)
            #expect(processes.count == names.count, "\(processes.map { ($0.serviceName, $0.state) })")
            #expect(processes.allSatisfy { $0.state == .succeeded })
            // Nobody lost a lease: the running ones were finished by the executors that held them.
            for executor in cluster.executors.values {
                #expect(!executor.output.contains(" lost: "), "\(executor.output)")
            }
            #expect(processes.allSatisfy { $0.attempt == 1 }, "\(processes.map { ($0.serviceName, $0.attempt) })")
        }
    }
}
