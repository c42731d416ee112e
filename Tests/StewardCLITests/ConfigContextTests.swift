import Foundation
import JSONSchema
import Testing

/// The client configuration's contexts: several servers on one machine each keep theirs, and
/// `steward config` shows and switches them.
@Suite("steward config: contexts of several servers")
struct ConfigContextTests {
    /// A client configuration file in a directory of its own.
    final class SharedConfig: @unchecked Sendable {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("steward-config-\(UUID().uuidString)")
        var path: String { directory.appendingPathComponent("config.json").path }

        init() throws {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }

        deinit { try? FileManager.default.removeItem(at: directory) }
    }

    @Test("two servers on different ports and data directories both keep their context; use-context switches the CLI")
    func twoServers() throws {
        let config = try SharedConfig()
        let first = try TestServer(clientConfig: config.path)
        defer { first.stop() }
        let second = try TestServer(clientConfig: config.path)
        defer { second.stop() }
        let firstName = first.home.standardizedFileURL.path
        let secondName = second.home.standardizedFileURL.path

        #expect(first.output.contains("Client configuration: \(config.path) (context \(firstName), current)"), "\(first.output)")
        #expect(
            second.output.contains(
                "Client configuration: \(config.path) (context \(secondName); the current context is \(firstName), switch with: steward config use-context \(secondName))"
            ), "\(second.output)")

        let contexts = try first.run("config", "get-contexts")
        #expect(contexts.status == 0, "\(contexts)")
        #expect(contexts.stdout.contains("Contexts in \(config.path)"), "\(contexts)")
        #expect(contexts.stdout.contains("│ *       │ \(firstName)"), "\(contexts)")
        #expect(contexts.stdout.contains("│         │ \(secondName)"), "\(contexts)")
        #expect(contexts.stdout.contains(first.url) && contexts.stdout.contains(second.url), "\(contexts)")

        let view = try first.run("config", "view", "-o", "json").json()
        #expect(view["currentContext"] == .string(firstName))
        #expect(view["contexts"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == [firstName, secondName])
        #expect(view["contexts"]?[1]?["server"] == .string(second.url))
        #expect(view["contexts"]?[1]?["prvkeyFile"] == .string(secondName + "/keys/owner.key"))
        #expect(view["contexts"]?[1]?["namespace"] == "default")

        // The CLI talks to the first server: a definition added now is there only.
        let added = try first.run("service", "definition", "add", "--spec", "executor-deployment-definition.json")
        #expect(added.status == 0, "\(added)")
        #expect(try definitionNames(first) == ["executordeployments.compute.colonies.io"])

        let switched = try first.run("config", "use-context", secondName)
        #expect(switched.status == 0, "\(switched)")
        #expect(switched.stdout == "Switched to context \(secondName) (\(second.url)).\n", "\(switched)")
        // Now the second server, with its own owner key (the first's would be refused there).
        #expect(try definitionNames(first) == [])
        let whoami = try first.run("whoami", "-o", "json")
        #expect(whoami.status == 0 && whoami.stdout.contains("owner"), "\(whoami)")

        _ = try first.run("config", "use-context", firstName)
        #expect(try definitionNames(first) == ["executordeployments.compute.colonies.io"])

        let unknown = try first.run("config", "use-context", "nowhere")
        #expect(unknown.status == 1, "\(unknown)")
        #expect(unknown.stderr == "Error: there is no context 'nowhere'; the contexts are: '\(firstName)', '\(secondName)'\n", "\(unknown)")
    }

    @Test("a restarted server updates its own context and keeps the current one")
    func restart() throws {
        let config = try SharedConfig()
        let first = try TestServer(clientConfig: config.path)
        first.stop()
        let again = try TestServer(clientConfig: config.path)
        defer { again.stop() }
        let view = try again.run("config", "view", "-o", "json").json()
        // Two data directories, two contexts; the second took over the current context only
        // if it listens where the current one pointed (it does not: another free port).
        #expect(view["contexts"]?.arrayValue?.count == 2, "\(view)")
    }

    @Test("a single-server configuration of an earlier version is read, and migrated when a server adds its context")
    func legacyConfiguration() throws {
        let config = try SharedConfig()
        let first = try TestServer(clientConfig: config.path)
        defer { first.stop() }
        let firstName = first.home.standardizedFileURL.path
        // What earlier versions wrote: one server at the top level.
        let legacy = #"{"server": "\#(first.url)", "prvkeyFile": "\#(firstName)/keys/owner.key", "namespace": "default"}"#
        try legacy.write(toFile: config.path, atomically: true, encoding: .utf8)

        let whoami = try first.run("whoami", "-o", "json")
        #expect(whoami.status == 0, "\(whoami)")
        let contexts = try first.run("config", "get-contexts")
        #expect(contexts.stdout.contains("│ *       │ \(firstName)"), "\(contexts)")

        let second = try TestServer(clientConfig: config.path)
        defer { second.stop() }
        let view = try second.run("config", "view", "-o", "json").json()
        #expect(view["currentContext"] == .string(firstName), "\(view)")
        #expect(view["contexts"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == [firstName, second.home.standardizedFileURL.path])
        #expect(try definitionNames(first) == [])
        #expect(try first.run("whoami").status == 0)
    }

    @Test("config view prints YAML by default, and an empty configuration when there is none")
    func viewFormats() throws {
        let config = try SharedConfig()
        let environment = ["STEWARD_CONFIG": config.path, "HOME": config.directory.path, "NO_COLOR": "1"]
        let empty = try StewardBinary.run(["config", "view"], directory: config.directory, environment: environment)
        #expect(empty.status == 0, "\(empty)")
        #expect(empty.stdout == "contexts: []\n", "\(empty)")
        let server = try TestServer(clientConfig: config.path)
        defer { server.stop() }
        let yaml = try server.run("config", "view")
        #expect(yaml.stdout.hasPrefix("currentContext: \(server.home.standardizedFileURL.path)\ncontexts:\n"), "\(yaml)")
    }

    private func definitionNames(_ server: TestServer) throws -> [String] {
        let result = try server.run("service", "definition", "ls", "-o", "json")
        #expect(result.status == 0, "\(result)")
        // The built-in kind is in every namespace: only the user's definitions tell servers apart.
        return try result.json()["items"]?.arrayValue?.compactMap { $0["metadata"]?["name"]?.stringValue }
            .filter { $0 != "processdeployments.steward.io" } ?? []
    }
}
