import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `steward executor run` against a real server: SIGINT and SIGTERM stop it cleanly.
@Suite("steward executor run")
struct ExecutorRunTests {
    @Test("SIGINT or SIGTERM stops an idle executor with exit 0", arguments: [SIGINT, SIGTERM])
    func idle(signal: Int32) throws {
        let server = try TestServer()
        defer { server.stop() }
        let executor = try server.start("executor", "run", "--type", "docker-reconciler", "--name", "idle-\(signal)")
        #expect(executor.waitForOutput(containing: "executor idle-\(signal) registered for type docker-reconciler"), "\(executor.output)")
        let ending = executor.stop(sending: signal)
        #expect(ending == .init(reason: .exit, status: 0), "\(executor.output)")
    }

    @Test("SIGINT or SIGTERM stops an executor in the middle of a process with exit 0", arguments: [SIGINT, SIGTERM])
    func working(signal: Int32) throws {
        let server = try TestServer()
        defer { server.stop() }
        #expect(try server.run("service", "definition", "add", "--spec", "executor-deployment-definition.json").status == 0)
        #expect(try server.run("service", "add", "--spec", "docker-executor-deployment.json").status == 0)
        // The process would take a minute; the signal ends the wait.
        let executor = try server.start(
            "executor", "run", "--type", "docker-reconciler", "--name", "busy-\(signal)", "--delay", "60s")
        #expect(executor.waitForOutput(containing: "create service/docker-executor attempt 1"), "\(executor.output)")
        let started = Date()
        let ending = executor.stop(sending: signal)
        #expect(ending == .init(reason: .exit, status: 0), "\(executor.output)")
        #expect(Date().timeIntervalSince(started) < 5, "\(executor.output)")
        #expect(!executor.output.contains("closed: success"), "\(executor.output)")
    }
}
