import Foundation
import Testing

/// `steward service logs` against a real `steward server` whose `<home>/logs` holds files the
/// test writes as the supervisor lays them out.
@Suite("steward service logs")
struct ServiceLogsTests {
    /// Writes `text` as the log of an instance of `docker-executor` started `secondsAgo` ago.
    func writeLog(_ server: TestServer, replica: Int, secondsAgo: Double, _ text: String) throws {
        let milliseconds = Int64((Date().timeIntervalSince1970 - secondsAgo) * 1000)
        let hex = String(milliseconds, radix: 16)
        let id = "docker-executor-\(replica)-" + String(repeating: "0", count: 12 - hex.count) + hex
        let directory = server.home.appendingPathComponent("logs/default/docker-executor/\(replica)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: directory.appendingPathComponent("\(id).log"))
    }

    @Test("prints every replica's current instance prefixed, one instance as written, the previous one, and errors")
    func logs() throws {
        let server = try TestServer()
        defer { server.stop() }
        #expect(try server.run("service", "definition", "add", "--spec", "executor-deployment-definition.json").status == 0)
        #expect(try server.run("service", "add", "--spec", "docker-executor-deployment.json").status == 0)

        let empty = try server.run("service", "logs", "--name", "docker-executor")
        #expect(empty.status == 0, "\(empty)")
        #expect(empty.stdout.isEmpty && empty.stderr.isEmpty, "\(empty)")

        try writeLog(server, replica: 0, secondsAgo: 30, "crashed\n")
        try writeLog(server, replica: 0, secondsAgo: 10, "starting\nready\n")
        try writeLog(server, replica: 1, secondsAgo: 10, "ready\n")

        let all = try server.run("service", "logs", "--name", "docker-executor")
        #expect(all.status == 0, "\(all)")
        #expect(all.stdout == "docker-executor-0 | starting\ndocker-executor-0 | ready\ndocker-executor-1 | ready\n", "\(all)")

        let one = try server.run("service", "logs", "--name", "docker-executor", "--instance", "docker-executor-0", "--tail", "1")
        #expect(one.stdout == "ready\n", "\(one)")
        let previous = try server.run("service", "logs", "--name", "docker-executor", "--instance", "docker-executor-0", "-p")
        #expect(previous.stdout == "crashed\n", "\(previous)")

        let none = try server.run("service", "logs", "--name", "docker-executor", "--instance", "docker-executor-1", "--previous")
        #expect(none.status == 1, "\(none)")
        #expect(none.stderr == "Error: docker-executor-1 has no previous instance\n", "\(none)")

        let missing = try server.run("service", "logs", "--name", "nope")
        #expect(missing.status == 1, "\(missing)")
        #expect(missing.stderr == "Error: service 'nope' not found in namespace 'default'\n", "\(missing)")

        let badTail = try server.run("service", "logs", "--name", "docker-executor", "--tail", "-3")
        #expect(badTail.status != 0, "\(badTail)")
        #expect(badTail.stderr.contains("--tail"), "\(badTail)")
    }

    @Test("--follow prints lines as they are appended, until interrupted")
    func follow() throws {
        let server = try TestServer()
        defer { server.stop() }
        #expect(try server.run("service", "definition", "add", "--spec", "executor-deployment-definition.json").status == 0)
        #expect(try server.run("service", "add", "--spec", "docker-executor-deployment.json").status == 0)
        try writeLog(server, replica: 0, secondsAgo: 10, "first\n")
        let directory = server.home.appendingPathComponent("logs/default/docker-executor/0")
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: directory.path).first)

        let follow = try server.start("service", "logs", "--name", "docker-executor", "-f", "--tail", "5")
        defer { follow.stop() }
        #expect(follow.waitForOutput(containing: "first\n", timeout: 30), "\(follow.output)")
        let handle = try FileHandle(forWritingTo: directory.appendingPathComponent(name))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("second\n".utf8))
        try handle.close()
        #expect(follow.waitForOutput(containing: "first\nsecond\n", timeout: 30), "\(follow.output)")
        #expect(follow.stop(sending: SIGINT) != nil)
    }
}
