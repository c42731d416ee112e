import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `steward service remove` reports what happened to the service.
@Suite("steward service remove")
struct ServiceRemoveTests {
    @Test("--force on a service already marked deleting says it was removed, and it is gone")
    func forceOnDeleting() throws {
        let server = try TestServer()
        defer { server.stop() }
        #expect(try server.run("service", "definition", "add", "--spec", "executor-deployment-definition.json").status == 0)
        #expect(try server.run("service", "add", "--spec", "docker-executor-deployment.json").status == 0)
        // An executor holds the create for a minute, so a removal has to wait for the reconciler.
        let executor = try server.start(
            "executor", "run", "--type", "docker-reconciler", "--name", "slow-1", "--delay", "60s")
        defer { _ = executor.stop(sending: SIGTERM) }
        #expect(executor.waitForOutput(containing: "create service/docker-executor attempt 1"), "\(executor.output)")

        let marked = try server.run("service", "remove", "--name", "docker-executor")
        #expect(marked.status == 0, "\(marked)")
        #expect(marked.stdout == "service/docker-executor marked for deletion; its reconciler removes it\n", "\(marked)")

        let forced = try server.run("service", "remove", "--name", "docker-executor", "--force")
        #expect(forced.status == 0, "\(forced)")
        #expect(forced.stdout == "service/docker-executor removed\n", "\(forced)")
        let get = try server.run("service", "get", "--name", "docker-executor")
        #expect(get.status == 1, "\(get)")
        #expect(get.stderr.contains("not found"), "\(get)")
    }
}
