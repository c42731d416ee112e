import Foundation
import JSONSchema
import Testing

/// Help texts, output formats, spec files in YAML, errors and exit codes.
@Suite("steward CLI behaviour")
struct CLIBehaviourTests {
    /// Every command and the words its help must contain.
    static let commands: [[String]] = [
        [], ["server"], ["key"], ["key", "generate"], ["whoami"], ["namespace"], ["namespace", "add"], ["namespace", "ls"],
        ["member"], ["member", "add"], ["member", "ls"], ["member", "remove"],
        ["service"], ["service", "definition"], ["service", "definition", "add"], ["service", "definition", "ls"],
        ["service", "definition", "get"], ["service", "definition", "update"], ["service", "definition", "remove"],
        ["service", "add"], ["service", "ls"], ["service", "get"], ["service", "update"], ["service", "set"],
        ["service", "remove"], ["service", "history"], ["apply"],
        ["service", "reconcile"], ["executor"], ["executor", "ls"], ["executor", "run"], ["process"], ["process", "ls"],
        ["process", "get"], ["config"], ["config", "view"], ["config", "get-contexts"], ["config", "use-context"],
        ["schema"], ["schema", "validate"],
    ]

    @Test("every command's --help has an abstract, a discussion and an example", arguments: commands)
    func help(command: [String]) throws {
        let result = try StewardBinary.run(command + ["--help"], directory: FileManager.default.temporaryDirectory, environment: [:])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.hasPrefix("OVERVIEW: "), "\(result)")
        #expect(result.stdout.contains("EXAMPLE:"), "\(result)")
        #expect(result.stdout.contains("steward " + command.joined(separator: " ")), "\(result)")
        #expect(result.stdout.contains("USAGE: steward"), "\(result)")
    }

    @Test("usage errors exit 2 and name the problem")
    func usageError() throws {
        let missing = try StewardBinary.run(["service", "get"], directory: FileManager.default.temporaryDirectory, environment: [:])
        #expect(missing.status == 2, "\(missing)")
        #expect(missing.stderr.contains("Missing expected argument '--name <name>'"), "\(missing)")
        let badFormat = try StewardBinary.run(["service", "ls", "-o", "xml"], directory: FileManager.default.temporaryDirectory, environment: [:])
        #expect(badFormat.status == 2, "\(badFormat)")
        let badLabel = try StewardBinary.run(["service", "ls", "-l", "novalue"], directory: FileManager.default.temporaryDirectory, environment: [:])
        #expect(badLabel.status == 2, "\(badLabel)")
        #expect(badLabel.stderr.contains("label selector 'novalue' must have the form key=value"), "\(badLabel)")
    }

    @Test("an unreachable server is an error with exit 1 that says what to do")
    func unreachable() throws {
        let key = try StewardBinary.run(["key", "generate", "-o", "json"], directory: FileManager.default.temporaryDirectory, environment: [:])
        let prvkey = try #require(try key.json()["prvkey"]?.stringValue)
        let result = try StewardBinary.run(
            ["service", "ls", "--server", "http://127.0.0.1:1", "--prvkey", prvkey],
            directory: FileManager.default.temporaryDirectory, environment: ["HOME": "/nonexistent"])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.hasPrefix("Error: no Steward server answers at http://127.0.0.1:1"), "\(result)")
    }

    @Test("key generate prints a private key and its 64-hex id")
    func keyGenerate() throws {
        let result = try StewardBinary.run(["key", "generate"], directory: FileManager.default.temporaryDirectory, environment: [:])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first?.hasPrefix("Private key: ") == true)
        #expect(lines.last?.hasPrefix("Id:          ") == true)
        #expect(lines.last.map { $0.dropFirst("Id:          ".count).count } == 64)
    }

    @Test("spec files may be YAML; -o yaml prints YAML that reads back; set takes JSON or strings")
    func yamlSpecsAndOutput() throws {
        let server = try TestServer()
        defer { server.stop() }
        #expect(try server.run("service", "definition", "add", "--spec", "executor-deployment-definition.json").status == 0)
        try """
            kind: ExecutorDeployment
            metadata:
              name: yaml-executor
              labels: {tier: "web"}
            spec:
              image: "colonyos/dockerexecutor:v1.0.5"
              replicas: 2
              executorType: docker-reconciler
              env:
                PORT: "8080"
                DEBUG: "true"
            """.write(to: server.directory.appendingPathComponent("svc.yaml"), atomically: true, encoding: .utf8)
        let added = try server.run("service", "add", "--spec", "svc.yaml")
        #expect(added.status == 0, "\(added)")

        let json = try server.run("service", "get", "--name", "yaml-executor", "-o", "json").json()
        #expect(json["spec"]?["replicas"] == .int(2))
        #expect(json["spec"]?["env"]?["PORT"] == "8080")
        #expect(json["spec"]?["env"]?["DEBUG"] == "true")
        #expect(json["metadata"]?["labels"]?["tier"] == "web")

        let yaml = try server.run("service", "get", "--name", "yaml-executor", "-o", "yaml")
        #expect(yaml.status == 0)
        #expect(yaml.stdout.hasPrefix("kind: ExecutorDeployment\nmetadata:\n  name: yaml-executor\n"), "\(yaml)")
        #expect(yaml.stdout.contains("    PORT: \"8080\"\n"), "\(yaml)")
        #expect(yaml.stdout.contains("  replicas: 2\n"), "\(yaml)")

        // The YAML output is itself a valid spec file: updating with it changes nothing.
        try yaml.stdout.write(to: server.directory.appendingPathComponent("roundtrip.yaml"), atomically: true, encoding: .utf8)
        let applied = try server.run("apply", "-f", "roundtrip.yaml")
        #expect(applied.stdout == "service/yaml-executor unchanged\n", "\(applied)")

        #expect(try server.run("service", "set", "--name", "yaml-executor", "--key", "spec.env.MODE", "--value", "fast").status == 0)
        #expect(try server.run("service", "set", "--name", "yaml-executor", "--key", "spec.env.PORT", "--value", "\"9090\"").status == 0)
        let after = try server.run("service", "get", "--name", "yaml-executor", "-o", "json").json()
        #expect(after["spec"]?["env"]?["MODE"] == "fast")
        #expect(after["spec"]?["env"]?["PORT"] == "9090")
        let wrongType = try server.run("service", "set", "--name", "yaml-executor", "--key", "spec.replicas", "--value", "many")
        #expect(wrongType.status == 1, "\(wrongType)")
        #expect(wrongType.stderr.hasPrefix("Error: service validation failed"), "\(wrongType)")
    }

    @Test("YAML that has no JSON meaning is refused with the file's name")
    func badYAML() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("steward-yaml-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "kind: X\nmetadata:\n  name: a\n  name: b\n".write(to: directory.appendingPathComponent("dup.yaml"), atomically: true, encoding: .utf8)
        try "kind: X\nspec:\n  ? [a, b]\n  : 1\n".write(to: directory.appendingPathComponent("complex.yaml"), atomically: true, encoding: .utf8)
        try "kind: X\nspec: {size: .inf}\n".write(to: directory.appendingPathComponent("inf.yaml"), atomically: true, encoding: .utf8)
        let key = "0000000000000000000000000000000000000000000000000000000000000001"
        for (file, reason) in [("dup.yaml", "duplicate"), ("complex.yaml", "is not a scalar"), ("inf.yaml", "not a finite number")] {
            let result = try StewardBinary.run(
                ["service", "add", "--spec", file, "--prvkey", key, "--server", "http://127.0.0.1:1"], directory: directory,
                environment: ["HOME": directory.path])
            #expect(result.status == 1, "\(result)")
            #expect(result.stderr.hasPrefix("Error: \(file) is not valid YAML for JSON: "), "\(result)")
            #expect(result.stderr.contains(reason), "\(result)")
        }
    }
}
