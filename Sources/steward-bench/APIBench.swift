import ArgumentParser
import Foundation
import JSONSchema
import StewardClient
import StewardCore

/// `steward-bench api`: the API's throughput and latency beside two ceilings of the same run.
struct APIBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api",
        abstract: "Measure create, get and list over the signed API against the hello-world and raw-commit ceilings.",
        discussion: """
            Starts a server of this build in a child process (or targets --server), then with --concurrency signed clients measures, in one run:
              - GET /healthz (unsigned hello-world route of the same server): the HTTP ceiling;
              - durable single-row SQLite commits (WAL, synchronous=FULL) on the same disk,
                one writer: the storage ceiling;
              - create of --services services (validated against a schema, durable);
              - get by name (body not decoded, and again decoded into a Service), and list by kind over all of them (body not decoded), each for --duration seconds.
            Prints requests/s, p50 and p99 for each and the ratios the targets ask for:
            get >= 50% of hello-world; create >= 70% of raw commits with p99 < 20 ms.

            EXAMPLE:
              swift build -c release --product steward-bench
              .build/release/steward-bench api
              .build/release/steward-bench api --services 2000 --duration 5
            """
    )

    @OptionGroup var target: BenchTarget

    @Option(help: "The number of services to create.")
    var services = 10_000

    @Option(help: "The number of concurrent clients.")
    var concurrency = 64

    @Option(help: "Seconds to measure each timed operation.")
    var duration = 10

    @Option(help: "Where the started server and the SQLite ceiling keep their files (same disk).")
    var dataDir = "./bench-data"

    @Flag(help: "Keep the run's files (database, server log) instead of removing them.")
    var keep = false

    func validate() throws {
        if services < 1 || concurrency < 1 || duration < 1 { throw ValidationError("--services, --concurrency and --duration must be positive") }
    }

    func run() async throws {
        let runDirectory = URL(fileURLWithPath: dataDir).appendingPathComponent("run-\(Int(Date().timeIntervalSince1970))")
        try FileManager.default.createDirectory(at: runDirectory, withIntermediateDirectories: true)
        let resolved = try await target.resolve(runDirectory: runDirectory)
        let child = resolved.child
        let serverURL = resolved.url
        let key = resolved.ownerKey
        defer {
            child?.stop()
            if !keep { try? FileManager.default.removeItem(at: runDirectory) }
        }

        let identity = try Identity(privateKeyHex: key)
        let client = StewardClient(
            configuration: .init(serverURL: serverURL, identity: identity, namespace: "default"), maxConnections: concurrency)
        let seconds = Duration.seconds(duration)
        let concurrency = self.concurrency
        let total = services
        let kind = "BenchService\(Int(Date().timeIntervalSince1970) % 100_000)"
        let prefix = "b\(Int.random(in: 10_000...99_999))-"

        progress("server \(serverURL), \(concurrency) clients, \(total) services, \(duration) s per timed operation")

        progress("warming up ...")
        _ = await LoadRunner.run("warm-up", concurrency: concurrency, duration: .seconds(1)) { _ in
            _ = try await client.health()
        }

        progress("measuring GET /healthz ...")
        let hello = await LoadRunner.run("GET /healthz (hello-world)", concurrency: concurrency, duration: seconds) { _ in
            _ = try await client.health()
        }

        progress("measuring raw SQLite commits ...")
        let commits = try SQLiteCommitBench.run(path: runDirectory.appendingPathComponent("commit-ceiling.db").path, duration: seconds)

        progress("adding the definition of \(kind) ...")
        try await client.createDefinition(Self.definition(kind: kind))

        progress("creating \(total) services ...")
        let create = await LoadRunner.run("create service", concurrency: concurrency, total: total) { index in
            try await client.createService(Self.service(kind: kind, name: prefix + String(index)))
        }

        // The load generator shares the machine with the server, so the measured gets do not
        // decode the body (as for /healthz); a second run with decoding shows the client's cost.
        progress("measuring get by name ...")
        let get = await LoadRunner.run("get service by name", concurrency: concurrency, duration: seconds) { _ in
            let response = try await client.send(
                method: "GET", pathAndQuery: "/api/v1/namespaces/default/services/" + prefix + String(Int.random(in: 0..<total)))
            guard response.status == 200 else { throw StewardError(.internal, "get answered \(response.status)") }
        }

        progress("measuring get by name, decoded into a Service ...")
        let getDecoded = await LoadRunner.run("get by name, decoded", concurrency: concurrency, duration: seconds) { _ in
            _ = try await client.service(name: prefix + String(Int.random(in: 0..<total)))
        }

        progress("measuring list by kind over \(total) services ...")
        let listCount = try await client.services(kind: kind).items.count
        guard listCount >= create.count else {
            throw StewardError(.internal, "list returned \(listCount) services, expected \(create.count)")
        }
        let list = await LoadRunner.run("list \(total) services by kind", concurrency: concurrency, duration: seconds) { _ in
            let response = try await client.send(method: "GET", pathAndQuery: "/api/v1/namespaces/default/services?kind=" + kind)
            guard response.status == 200 else { throw StewardError(.internal, "list answered \(response.status)") }
        }
        try await client.shutdown()

        print(Self.report([hello, commits, create, get, getDecoded, list], hello: hello, commits: commits, create: create, get: get))
    }

    private func progress(_ text: String) {
        FileHandleOutput.error(text + "\n")
    }

    static func definition(kind: String) -> JSON {
        .object([
            "metadata": .object(["name": .string(kind.lowercased() + "s.bench.steward.dev")]),
            "spec": .object([
                "group": "bench.steward.dev", "version": "v1",
                "names": .object(["kind": .string(kind), "plural": .string(kind.lowercased() + "s"), "singular": .string(kind.lowercased())]),
                "scope": "Namespaced",
                "schema": .object([
                    "type": "object",
                    "properties": .object([
                        "image": .object(["type": "string"]),
                        "replicas": .object(["type": "integer", "minimum": 0, "default": 1]),
                        "env": .object(["type": "object", "additionalProperties": .object(["type": "string"])]),
                    ]),
                    "required": ["image"],
                ]),
                "handler": .object(["executorType": "bench-reconciler", "functionName": "reconcile"]),
            ]),
        ])
    }

    static func service(kind: String, name: String) -> JSON {
        .object([
            "kind": .string(kind),
            "metadata": .object(["name": .string(name), "labels": .object(["tier": "bench"])]),
            "spec": .object(["image": "registry.example/app:1.0", "replicas": 2, "env": .object(["MODE": "bench"])]),
        ])
    }

    static func report(_ rows: [LatencyStats], hello: LatencyStats, commits: LatencyStats, create: LatencyStats, get: LatencyStats) -> String {
        func number(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }
        var lines: [[String]] = [["operation", "requests", "errors", "req/s", "p50 ms", "p99 ms"]]
        for row in rows {
            lines.append([row.operation, String(row.count), String(row.errors), number(row.perSecond, 0), number(row.p50, 2), number(row.p99, 2)])
        }
        let widths = (0..<lines[0].count).map { column in lines.map { $0[column].count }.max() ?? 0 }
        var text = ""
        for (index, line) in lines.enumerated() {
            text += line.enumerated().map { column, cell in
                column == 0 ? cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[column] - cell.count) + cell
            }.joined(separator: "  ") + "\n"
            if index == 0 { text += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n" }
        }
        let getRatio = hello.perSecond > 0 ? get.perSecond / hello.perSecond : 0
        let createRatio = commits.perSecond > 0 ? create.perSecond / commits.perSecond : 0
        text += "\n"
        text += "get / hello-world:      \(number(getRatio * 100))% (target >= 50%) \(getRatio >= 0.5 ? "met" : "NOT met")\n"
        text += "create / raw commits:   \(number(createRatio * 100))% (target >= 70%) \(createRatio >= 0.7 ? "met" : "NOT met")\n"
        text += "create p99:             \(number(create.p99, 2)) ms (target < 20 ms) \(create.p99 < 20 ? "met" : "NOT met")\n"
        return text
    }
}
