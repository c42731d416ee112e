import Foundation
import JSONSchema
import Testing

/// Seed 000's Quick Start, run as written (with `steward` for `colonies`) against a real
/// `steward server`, with the seed's own JSON files (`examples/quickstart`), and the README's
/// quick start, run verbatim from the repository's root.
@Suite("Quick Start of seed 000")
struct QuickStartTests {
    @Test("every Quick Start step works end to end, in order")
    func quickStart() throws {
        let server = try TestServer()
        defer { server.stop() }
        // 1. "Set colony owner private key": export STEWARD_PRVKEY=<owner key>
        let owner = ["STEWARD_PRVKEY": try server.ownerKey]

        // 1. Add the ServiceDefinition
        let add = try server.run("service", "definition", "add", "--spec", "executor-deployment-definition.json", environment: owner)
        #expect(add.status == 0, "\(add)")
        #expect(add.stdout.contains("executordeployments.compute.colonies.io"), "\(add)")

        // 2. List ServiceDefinitions (beside the server's built-in ProcessDeployment)
        let definitions = try server.run("service", "definition", "ls", environment: owner)
        #expect(definitions.status == 0, "\(definitions)")
        #expect(definitions.stdout == """
            ╭───────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────╮
            │ Service Definitions in default                                                                                                │
            ├─────────────────────────────────────────┬────────────────────┬─────────────────────┬─────────┬───────────────────┬────────────┤
            │ NAME                                    │ KIND               │ GROUP               │ VERSION │ EXECUTOR TYPE     │ GENERATION │
            ├─────────────────────────────────────────┼────────────────────┼─────────────────────┼─────────┼───────────────────┼────────────┤
            │ executordeployments.compute.colonies.io │ ExecutorDeployment │ compute.colonies.io │ v1      │ docker-reconciler │ 1          │
            │ processdeployments.steward.io           │ ProcessDeployment  │ steward.io          │ v1      │ steward-process   │ 1          │
            ╰─────────────────────────────────────────┴────────────────────┴─────────────────────┴─────────┴───────────────────┴────────────╯

            """, "\(definitions)")

        // 3. Get a Specific ServiceDefinition
        let definition = try server.run("service", "definition", "get", "--name", "executordeployments.compute.colonies.io", environment: owner)
        #expect(definition.status == 0, "\(definition)")
        for expected in [
            "│ Kind               │ ExecutorDeployment", "│ Executor Type      │ docker-reconciler", "│ Function           │ reconcile",
            "│ image        │ string │ yes      │ -       │ Container image to deploy",
            "│ replicas     │ number │ no       │ 1       │ Number of instances to run",
        ] {
            #expect(definition.stdout.contains(expected), "missing \(expected) in \(definition)")
        }

        // 4. Add a Service Instance
        let serviceAdd = try server.run("service", "add", "--spec", "docker-executor-deployment.json", environment: owner)
        #expect(serviceAdd.status == 0, "\(serviceAdd)")
        #expect(serviceAdd.stdout.hasPrefix("service/docker-executor created"), "\(serviceAdd)")

        // 5. List Services, then filter by kind
        let services = try server.run("service", "ls", environment: owner)
        #expect(services.status == 0, "\(services)")
        #expect(services.stdout.contains("│ docker-executor │ ExecutorDeployment │ 1          │ -         │"), "\(services)")
        let byKind = try server.run("service", "ls", "--kind", "ExecutorDeployment", environment: owner)
        #expect(byKind.status == 0 && byKind.stdout.contains("│ docker-executor │ ExecutorDeployment │"), "\(byKind)")
        let otherKind = try server.run("service", "ls", "--kind", "Database", environment: owner)
        #expect(otherKind.status == 0 && !otherKind.stdout.contains("docker-executor"), "\(otherKind)")

        // 6. Get Service Status
        let get = try server.run("service", "get", "--name", "docker-executor", environment: owner)
        #expect(get.status == 0, "\(get)")
        for expected in [
            "│ Service ", "│ Name ", "│ docker-executor", "│ ID ", "│ Kind ", "│ ExecutorDeployment", "│ Generation ", "│ 1 ",
            "│ Spec ", "│ image ", "colonyos/dockerexecutor:v1.0.5", "│ replicas ", "│ 3 ", "│ env.COLONIES_SERVER_PORT ", "│ 50080",
            "│ volumes[0].host ", "/var/run/docker.sock",
            "│ Deployment Status ", "│ Running Instances │ -", "│ Total Instances   │ -", "│ Last Updated      │ -",
        ] {
            #expect(get.stdout.contains(expected), "missing \(expected) in \(get)")
        }
        // Until a reconciler reports, the Deployment Status shows dashes and Instances has no rows.
        #expect(get.stdout.contains("""
            ╭───────────────────────╮
            │ Deployment Status     │
            ├───────────────────┬───┤
            │ Running Instances │ - │
            │ Total Instances   │ - │
            │ Last Updated      │ - │
            ╰───────────────────┴───╯

            ╭───────────────────────────────────────────────╮
            │ Instances (none reported yet)                 │
            ├──────┬────┬──────┬───────┬───────┬────────────┤
            │ NAME │ ID │ TYPE │ STATE │ IMAGE │ LAST CHECK │
            ╰──────┴────┴──────┴───────┴───────┴────────────╯

            """), "\(get)")
        let getJSON = try server.run("service", "get", "--name", "docker-executor", "-o", "json", environment: owner)
        let document = try getJSON.json()
        #expect(document["kind"] == "ExecutorDeployment")
        #expect(document["metadata"]?["name"] == "docker-executor")
        #expect(document["metadata"]?["generation"] == 1)
        #expect(document["spec"]?["replicas"] == 3)
        #expect(document["spec"]?["image"] == "colonyos/dockerexecutor:v1.0.5")
        #expect(document["metadata"]?["uid"]?.stringValue?.isEmpty == false)

        // 7. Update a Service: set one field, then the whole spec
        let set = try server.run("service", "set", "--name", "docker-executor", "--key", "spec.replicas", "--value", "5", environment: owner)
        #expect(set.status == 0, "\(set)")
        let afterSet = try server.run("service", "get", "--name", "docker-executor", "-o", "json", environment: owner).json()
        #expect(afterSet["spec"]?["replicas"] == .int(5))
        #expect(afterSet["metadata"]?["generation"] == 2)

        let update = try server.run("service", "update", "--spec", "updated-deployment.json", environment: owner)
        #expect(update.status == 0, "\(update)")
        let afterUpdate = try server.run("service", "get", "--name", "docker-executor", "-o", "json", environment: owner).json()
        #expect(afterUpdate["spec"]?["image"] == "colonyos/dockerexecutor:v1.0.6")
        #expect(afterUpdate["metadata"]?["generation"] == 3)

        let history = try server.run("service", "history", "--name", "docker-executor", "-o", "json", environment: owner).json()
        #expect(history["items"]?.arrayValue?.compactMap { $0["generation"]?.intValue } == [3, 2, 1])

        // 8. Remove a Service
        let remove = try server.run("service", "remove", "--name", "docker-executor", environment: owner)
        #expect(remove.status == 0, "\(remove)")
        #expect(remove.stdout == "service/docker-executor removed\n", "\(remove)")
        let gone = try server.run("service", "get", "--name", "docker-executor", environment: owner)
        #expect(gone.status == 1, "\(gone)")
        #expect(gone.stderr.hasPrefix("Error: "), "\(gone)")
        #expect(gone.stdout.isEmpty)
    }

    @Test("Example Validation Error: a service without its required image")
    func validationError() throws {
        let server = try TestServer()
        defer { server.stop() }
        let added = try server.run("service", "definition", "add", "--spec", "executor-deployment-definition.json")
        #expect(added.status == 0, "\(added)")
        let invalid = try server.run("service", "add", "--spec", "invalid-service.json")
        #expect(invalid.status == 1, "\(invalid)")
        #expect(invalid.stderr == "Error: service validation failed: required field 'image' is missing\n", "\(invalid)")
        #expect(invalid.stdout.isEmpty)
    }

    @Test("the CLI finds the local server and its owner key through the client configuration")
    func findsServerWithoutFlags() throws {
        let server = try TestServer()
        defer { server.stop() }
        let whoami = try server.run("whoami", "-o", "json")
        #expect(whoami.status == 0, "\(whoami)")
        let me = try whoami.json()
        #expect(me["namespaces"]?[0]?["name"] == "default")
        #expect(me["namespaces"]?[0]?["role"] == "owner")
        #expect(me["id"]?.stringValue?.count == 64)
    }

    /// What the README's quick start must print for the lines whose exit status is not 0 or
    /// whose output the test checks; every other line must exit 0.
    static let readmeExpectations: [(command: String, status: Int32, stdout: [String])] = [
        ("steward service definition add --spec examples/quickstart/executor-deployment-definition.json", 0,
         ["executordeployments.compute.colonies.io"]),
        ("steward service add --spec examples/quickstart/docker-executor-deployment.json", 0, ["service/docker-executor created"]),
        ("steward service ls --kind ExecutorDeployment", 0, ["│ docker-executor │ ExecutorDeployment │"]),
        ("steward service set --name docker-executor --key spec.replicas --value 5", 0,
         ["service/docker-executor spec.replicas set (generation 2)"]),
        ("steward service remove --name docker-executor", 0, ["service/docker-executor removed"]),
        ("steward service add --spec examples/quickstart/docker-executor-deployment.json --wait", 0, ["service/docker-executor created"]),
        ("steward process ls --service docker-executor", 0, ["succeeded"]),
        ("steward schema validate --schema examples/quickstart/executor-deployment.schema.json examples/quickstart/docker-executor-spec.json",
         0, ["valid\n"]),
        ("cat examples/quickstart/specs.jsonl | steward schema validate --schema examples/quickstart/executor-deployment.schema.json -",
         1, ["valid\ninvalid: required field 'image' is missing\ninvalid: field 'replicas' must be"]),
        ("steward config get-contexts", 0, ["│ *       │"]),
        ("steward service get --name web", 0, ["│ Ready               │ True (AllReady): 3 of 3 instances ready", "│ web-2 │"]),
    ]

    @Test("the README's quick start runs as written, from the repository's root")
    func readmeQuickStart() throws {
        let server = try TestServer()
        defer { server.stop() }
        let lines = DocumentedCommands.lines(in: try DocumentedCommands("README.md").section("## Quick start"))
        // The README builds the binary (`swift build`, `alias`) and starts the server
        // (`swift run steward server`); here the built binary is on PATH and TestServer is the
        // server, found through the client configuration as the README says.
        #expect(lines.first?.command == "swift run steward server", "\(lines)")
        let steps = lines.filter { !$0.command.hasPrefix("swift ") && !$0.command.hasPrefix("alias ") }
        #expect(steps.count >= 17, "\(steps)")

        let bin = server.directory.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: bin.appendingPathComponent("steward").path, withDestinationPath: try StewardBinary.path())
        var environment = server.environment
        environment["PATH"] = bin.path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")

        var background: [BackgroundCommand] = []
        defer { for command in background { command.stop() } }
        for step in steps {
            if step.background {
                background.append(
                    try BackgroundCommand(
                        ["-c", "exec " + step.command], directory: TestServer.packageRoot, environment: environment,
                        executable: "/bin/bash"))
                continue
            }
            let result = try StewardBinary.run(
                ["-c", step.command], directory: TestServer.packageRoot, environment: environment, executable: "/bin/bash")
            let expected = Self.readmeExpectations.first { $0.command == step.command }
            #expect(result.status == expected?.status ?? 0, "\(result)")
            for text in expected?.stdout ?? [] {
                #expect(result.stdout.contains(text), "missing \(text) in \(result)")
            }
        }
        for expected in Self.readmeExpectations {
            #expect(steps.contains { $0.command == expected.command }, "the README's quick start no longer runs: \(expected.command)")
        }
    }

    @Test("every file the quick starts name exists, from the repository's root")
    func documentedFilesExist() throws {
        let readme = try DocumentedCommands("README.md")
        let cli = try DocumentedCommands("docs/cli.md")
        let sections = [
            ("README.md", readme.section("## Quick start")),
            ("docs/cli.md", cli.section("## The Quick Start")),
            ("docs/cli.md", cli.section("## Errors and exit codes")),
            ("docs/cli.md", cli.section("### `steward schema validate --schema FILE [INSTANCE ...]`")),
        ]
        for (document, section) in sections {
            #expect(!section.isEmpty, "a section of \(document) is missing")
            let files = DocumentedCommands.files(in: DocumentedCommands.lines(in: section))
            #expect(!files.isEmpty, "\(document): \(section)")
            for file in files {
                #expect(
                    FileManager.default.fileExists(atPath: TestServer.packageRoot.appendingPathComponent(file).path),
                    "\(document) names \(file), which does not exist")
                #expect(file.hasPrefix("examples/"), "\(document) names \(file) outside examples/")
            }
        }
    }
}
