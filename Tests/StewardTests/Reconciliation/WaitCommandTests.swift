import Foundation
import JSONSchema
import StewardClient
import StewardCore
import Testing

extension RealProcessReconciliationTests {
    /// `steward service add|set|remove --wait` with the built binary, a real server and a real
    /// `steward executor run`.
    @Suite("steward service … --wait", .serialized)
    struct WaitCommandTests {
        /// Runs `steward ARGUMENTS` to completion; returns its exit status and output.
        static func steward(_ arguments: [String], environment: [String: String]) async throws -> (status: Int32, stdout: String, stderr: String) {
            try await Blocking.run { try run(arguments, environment: environment) }
        }

        private static func run(_ arguments: [String], environment: [String: String]) throws -> (status: Int32, stdout: String, stderr: String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try ServerProcess.binaryPath())
            process.arguments = arguments
            var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("STEWARD_") }
            for (key, value) in environment { env[key] = value }
            process.environment = env
            let out = Pipe()
            let err = Pipe()
            process.standardOutput = out
            process.standardError = err
            process.standardInput = FileHandle.nullDevice
            try process.run()
            let stdout = out.fileHandleForReading.readDataToEndOfFile()
            let stderr = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
        }

        @Test(.timeLimit(.minutes(3)))
        func waitReturnsOnReadyFailsWithTheReconcilersErrorAndFollowsRemoval() async throws {
            let cluster = try RealProcessReconciliationTests.ExecutorProcessTests.Cluster()
            defer { cluster.stopAll() }
            try await cluster.startServer()
            let key = try String(contentsOfFile: cluster.home + "/keys/owner.key", encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let env = ["STEWARD_SERVER": cluster.url, "STEWARD_PRVKEY": key]
            let directory = cluster.directory.path
            try #"{"metadata": {"name": "webs.example.io"}, "spec": {"names": {"kind": "Web"}, "handler": {"executorType": "web-reconciler"}}}"#
                .write(toFile: directory + "/def.json", atomically: true, encoding: .utf8)
            try #"{"kind": "Web", "metadata": {"name": "hello"}, "spec": {"replicas": 2}}"#
                .write(toFile: directory + "/svc.json", atomically: true, encoding: .utf8)
            #expect(try await Self.steward(["service", "definition", "add", "--spec", directory + "/def.json"], environment: env).status == 0)

            // Without an executor the wait times out with a hint.
            let timedOut = try await Self.steward(
                ["service", "add", "--spec", directory + "/svc.json", "--wait", "--timeout", "1s"], environment: env)
            #expect(timedOut.status == 1, "\(timedOut)")
            #expect(timedOut.stderr.contains("was not reconciled within 1s"), "\(timedOut)")

            try cluster.startExecutor("echo-1", delay: "200ms")
            let set = try await Self.steward(
                ["service", "set", "--name", "hello", "--key", "spec.replicas", "--value", "4", "--wait"], environment: env)
            #expect(set.status == 0, "\(set)")
            #expect(set.stdout == "service/hello spec.replicas set (generation 2)\n", "\(set)")
            #expect(set.stderr.contains("waiting for service/hello generation 2 to be reconciled"), "\(set)")
            #expect(set.stderr.hasSuffix("service/hello reconciled\n"), "\(set)")

            let get = try await Self.steward(["service", "get", "--name", "hello"], environment: env)
            #expect(get.stdout.contains("│ Reconciliation"), "\(get)")
            #expect(get.stdout.contains("│ Last Result    │ succeeded"), "\(get)")
            let processes = try await Self.steward(["process", "ls", "--service", "hello", "-o", "json"], environment: env)
            let items = try JSON(parsing: processes.stdout)["items"]?.arrayValue ?? []
            #expect(items.first?["state"] == "succeeded", "\(processes)")

            // A failing reconciler: --wait fails with its error.
            cluster.executors["echo-1"]?.kill()
            try cluster.startExecutor("echo-2", delay: "0s", fail: "image pull failed")
            let failed = try await Self.steward(
                ["service", "set", "--name", "hello", "--key", "spec.replicas", "--value", "5", "--wait"], environment: env)
            #expect(failed.status == 1, "\(failed)")
            #expect(failed.stderr.contains("Error: the reconciler failed:"), "\(failed)")
            #expect(failed.stderr.contains("image pull failed"), "\(failed)")

            // Removal waits for the delete process of a working reconciler.
            cluster.executors["echo-2"]?.kill()
            try cluster.startExecutor("echo-3", delay: "0s")
            let removed = try await Self.steward(["service", "remove", "--name", "hello", "--wait"], environment: env)
            #expect(removed.status == 0, "\(removed)")
            #expect(removed.stdout == "service/hello marked for deletion; its reconciler removes it\n", "\(removed)")
            #expect(removed.stderr.hasSuffix("service/hello removed\n"), "\(removed)")
            #expect(try await Self.steward(["service", "get", "--name", "hello"], environment: env).status == 1)
            let executors = try await Self.steward(["executor", "ls", "-o", "json"], environment: env)
            #expect(executors.stdout.contains("\"echo-3\""), "\(executors)")
        }
    }
}
