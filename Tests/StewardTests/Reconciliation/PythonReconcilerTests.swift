import Foundation
import JSONSchema
import StewardClient
import StewardCore
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension RealProcessReconciliationTests {
    /// The Python example reconciler (examples/python-reconciler) against a real server.
    @Suite("Python example reconciler", .serialized)
    struct PythonReconcilerTests {
        static let script = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("examples/python-reconciler/reconciler.py").path

        /// True when `python3` runs and has the `cryptography` package.
        static let pythonAvailable: Bool = {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-c", "import cryptography.hazmat.primitives.asymmetric.ed25519"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            do {
                try process.run()
                process.waitUntilExit()
                return process.terminationStatus == 0
            } catch {
                return false
            }
        }()

        @Test(
            .enabled(if: pythonAvailable, "skipped: needs python3 with the PyPI package 'cryptography' (pip install cryptography)"),
            .timeLimit(.minutes(3)))
        func thePythonExampleReconcilesCreateUpdateFailureAndDelete() async throws {
            let cluster = try RealProcessReconciliationTests.ExecutorProcessTests.Cluster()
            defer { cluster.stopAll() }
            try await cluster.startServer()
            let owner = try cluster.ownerClient()
            _ = try await owner.createDefinition([
                "metadata": ["name": "pyapps.example.io"],
                "spec": ["names": ["kind": "PyApp"], "handler": ["executorType": "python-reconciler"]],
            ])
            let key = try String(contentsOfFile: cluster.home + "/keys/owner.key", encoding: .utf8)
            let python = Process()
            let logPath = cluster.directory.path + "/python.log"
            _ = FileManager.default.createFile(atPath: logPath, contents: nil)
            let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
            python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            python.arguments = [
                "python3", Self.script, "--type", "python-reconciler", "--name", "py-1", "--server", cluster.url,
                "--poll-timeout", "5", "--heartbeat", "1",
            ]
            var environment = ProcessInfo.processInfo.environment
            environment["STEWARD_PRVKEY"] = key.trimmingCharacters(in: .whitespacesAndNewlines)
            python.environment = environment
            python.standardOutput = log
            python.standardError = log
            try python.run()
            defer {
                // SIGKILL: a test runner may pass SIGTERM on as ignored.
                kill(python.processIdentifier, SIGKILL)
                python.waitUntilExit()
            }
            let output = { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

            let created = try await owner.createService(
                ["kind": "PyApp", "metadata": ["name": "hello"], "spec": ["replicas": 2]])
            try await owner.waitForReconciliation(
                of: "hello", generation: 1, after: Int64(created.metadata.resourceVersion ?? "0") ?? 0, timeout: .seconds(30))
            let service = try await owner.service(name: "hello")
            #expect(service.status["observedGeneration"] == 1, "\(output())")
            #expect(service.status["instances"]?.arrayValue?.count == 2)

            let updated = try await owner.setField(name: "hello", path: try JSONPath(parsing: "spec.replicas"), value: 3)
            try await owner.waitForReconciliation(
                of: "hello", generation: 2, after: Int64(updated.metadata.resourceVersion ?? "0") ?? 0, timeout: .seconds(30))
            let update = try #require(try await owner.processes(service: "hello").first)
            #expect(update.reconciliation.action == .update)
            #expect(update.reconciliation.old?["spec"]?["replicas"] == 2)
            #expect(update.reconciliation.new?["spec"]?["replicas"] == 3)

            let failing = try await owner.setField(name: "hello", path: try JSONPath(parsing: "spec.fail"), value: "on purpose")
            do {
                try await owner.waitForReconciliation(
                    of: "hello", generation: 3, after: Int64(failing.metadata.resourceVersion ?? "0") ?? 0,
                    timeout: .seconds(30))
                Issue.record("a failing reconciliation was reported as done")
            } catch {
                #expect(error.message.contains("asked to fail: on purpose"), "\(error)")
            }

            let marked = try await owner.removeService(name: "hello", force: false)
            try await owner.waitForRemoval(
                of: "hello", after: Int64(marked.metadata.resourceVersion ?? "0") ?? 0, timeout: .seconds(30))
            #expect(try await owner.processes(service: "hello").first?.reconciliation.action == .delete)
            #expect(output().contains("closed: success"))
        }
    }
}
