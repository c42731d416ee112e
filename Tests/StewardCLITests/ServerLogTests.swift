import Foundation
import Testing

/// What `steward server` says about itself: its start, a line per request, and a clear error
/// when its port is taken.
@Suite("steward server: start line, request log, port in use")
struct ServerLogTests {
    @Test func theServerLogsItsStartAndEachRequestWithItsIdentity() throws {
        let server = try TestServer()
        defer { server.stop() }
        let identity = try server.run("whoami", "-o", "json").json()["id"]?.stringValue ?? "?"
        #expect(try server.run("service", "definition", "ls").status == 0)
        let missing = try server.run("service", "get", "--name", "nope")
        #expect(missing.status == 1)
        let output = server.output
        #expect(output.contains("starting: data directory \(server.home.path)"), "\(output)")
        #expect(output.contains("header timeout 10000 ms, idle timeout 60000 ms, at most "), "\(output)")
        let lines = output.split(separator: "\n").map(String.init)
        let definitions = lines.first { $0.contains("GET /api/v1/namespaces/default/definitions 200 ") }
        #expect(definitions?.contains("info") == true, "\(output)")
        #expect(definitions?.hasSuffix("ms id=\(identity)") == true, "\(output)")
        #expect(lines.contains { $0.contains("GET /api/v1/namespaces/default/services/nope 404 ") }, "\(output)")
    }

    @Test func aPortInUseIsNamedWithAHint() throws {
        let server = try TestServer()
        defer { server.stop() }
        let second = try server.run(
            ["server", "--home", server.directory.appendingPathComponent("second-home").path, "--port", String(server.port)])
        #expect(second.status == 1, "\(second)")
        #expect(
            second.stderr.hasSuffix(
                "Error: 127.0.0.1:\(server.port) is already in use (another steward server?); choose another with --port\n"),
            "\(second)")
    }

    @Test func listenerFlagsAreDocumentedAndChecked() throws {
        let directory = FileManager.default.temporaryDirectory
        let help = try StewardBinary.run(["server", "--help"], directory: directory, environment: [:])
        let flat = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for flag in ["--header-timeout <duration>", "--idle-timeout <duration>", "--max-connections <count>"] {
            #expect(flat.contains(flag), "\(help)")
        }
        #expect(flat.contains("(default: STEWARD_HEADER_TIMEOUT or 10s)"), "\(help)")
        let bad = try StewardBinary.run(["server", "--max-connections", "0"], directory: directory, environment: [:])
        #expect(bad.status == 2, "\(bad)")
        #expect(bad.stderr.contains("--max-connections must be at least 1, got 0"), "\(bad)")
        let badEnvironment = try StewardBinary.run(
            ["server", "--home", directory.appendingPathComponent("steward-unused-\(UUID().uuidString)").path], directory: directory,
            environment: ["STEWARD_IDLE_TIMEOUT": "forever", "HOME": directory.path])
        #expect(badEnvironment.status == 1, "\(badEnvironment)")
        #expect(
            badEnvironment.stderr
                == "Error: STEWARD_IDLE_TIMEOUT must be a duration of more than zero such as 10s, 500ms or 1m, got 'forever'\n",
            "\(badEnvironment)")
    }
}
