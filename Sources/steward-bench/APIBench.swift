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
              - get by name (body not decoded, and again decoded into a Service), and list by kind over all of them (body not decoded).
            Each timed operation runs --duration seconds in all, split over --rounds rounds that
            alternate with the ceilings (hello-world, raw commits, create chunk; then hello-world,
            get, list), so that a change in the machine's speed during the run (shared hosts
            lend and take CPU and disk) weighs on a figure and its ceiling alike.
            Prints requests/s, p50 and p99 for each, the CPU time (user + system) per request of
            the server process (when the benchmark started it) and of the load generator, and the
            ratios the targets ask for:
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

    @Option(help: "Seconds to measure each timed operation (in all rounds together).")
    var duration = 10

    @Option(help: "Rounds that alternate the operations with their ceilings.")
    var rounds = 5

    @Option(help: "Where the started server and the SQLite ceiling keep their files (same disk).")
    var dataDir = "./bench-data"

    @Flag(help: "Keep the run's files (database, server log) instead of removing them.")
    var keep = false

    func validate() throws {
        if services < 1 || concurrency < 1 || duration < 1 || rounds < 1 {
            throw ValidationError("--services, --concurrency, --duration and --rounds must be positive")
        }
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
        let concurrency = self.concurrency
        let total = services
        let kind = "BenchService\(Int(Date().timeIntervalSince1970) % 100_000)"
        let prefix = "b\(Int.random(in: 10_000...99_999))-"

        progress("server \(serverURL), \(concurrency) clients, \(total) services, \(duration) s per timed operation in \(rounds) rounds")

        progress("warming up ...")
        _ = await LoadRunner.run("warm-up", concurrency: concurrency, duration: .seconds(1)) { _ in
            _ = try await client.health()
        }

        let slice = Duration.milliseconds(duration * 1000 / rounds)
        let cpu = child.map { ProcessCPU(pid: $0.process.processIdentifier) }
        let rounds = self.rounds
        let commitPath = runDirectory.appendingPathComponent("commit-ceiling.db").path
        var helloSlices: [LatencyStats] = [], commitSlices: [LatencyStats] = [], createSlices: [LatencyStats] = []

        progress("adding the definition of \(kind) ...")
        try await client.createDefinition(Self.definition(kind: kind))

        for round in 0..<rounds {
            let first = total * round / rounds, last = total * (round + 1) / rounds
            progress("round \(round + 1)/\(rounds): hello-world, raw SQLite commits, create services \(first)..<\(last) ...")
            helloSlices.append(await LatencyStats.withCPU(server: cpu) { await Self.hello(client: client, concurrency: concurrency, duration: slice) })
            commitSlices.append(try SQLiteCommitBench.run(path: commitPath, duration: slice))
            let counter = Counter(start: first)
            createSlices.append(
                await LatencyStats.withCPU(server: cpu) {
                    await LoadRunner.run("create service", concurrency: concurrency, total: last - first) { _ in
                        let index = counter.next()
                        let body = Self.service(kind: kind, name: prefix + String(index)).serializedBytes()
                        let response = try await client.send(method: "POST", pathAndQuery: "/api/v1/namespaces/default/services", body: body)
                        guard response.status == 201 else {
                            throw StewardError(.internal, "create answered \(response.status): \(String(decoding: response.body, as: UTF8.self))")
                        }
                    }
                })
        }

        let listCount = try await client.services(kind: kind).items.count
        let created = createSlices.reduce(0) { $0 + $1.count }
        guard listCount >= created else {
            throw StewardError(.internal, "list returned \(listCount) services, expected \(created)")
        }
        // The load generator shares the machine with the server, so the measured creates and
        // gets do not decode the response (as for /healthz); a second get run with decoding
        // shows the client's cost.
        var getSlices: [LatencyStats] = [], decodedSlices: [LatencyStats] = [], listSlices: [LatencyStats] = []
        for round in 0..<rounds {
            progress("round \(round + 1)/\(rounds): hello-world, get by name (raw and decoded), list by kind over \(total) ...")
            helloSlices.append(await LatencyStats.withCPU(server: cpu) { await Self.hello(client: client, concurrency: concurrency, duration: slice) })
            getSlices.append(
                await LatencyStats.withCPU(server: cpu) {
                    await LoadRunner.run("get service by name", concurrency: concurrency, duration: slice) { _ in
                        let response = try await client.send(
                            method: "GET", pathAndQuery: "/api/v1/namespaces/default/services/" + prefix + String(Int.random(in: 0..<total)))
                        guard response.status == 200 else { throw StewardError(.internal, "get answered \(response.status)") }
                    }
                })
            decodedSlices.append(
                await LatencyStats.withCPU(server: cpu) {
                    await LoadRunner.run("get by name, decoded", concurrency: concurrency, duration: slice) { _ in
                        _ = try await client.service(name: prefix + String(Int.random(in: 0..<total)))
                    }
                })
            listSlices.append(
                await LatencyStats.withCPU(server: cpu) {
                    await LoadRunner.run("list \(total) services by kind", concurrency: concurrency, duration: slice) { _ in
                        let response = try await client.send(method: "GET", pathAndQuery: "/api/v1/namespaces/default/services?kind=" + kind)
                        guard response.status == 200 else { throw StewardError(.internal, "list answered \(response.status)") }
                    }
                })
        }
        let hello = LatencyStats.combined(helloSlices), commits = LatencyStats.combined(commitSlices)
        let create = LatencyStats.combined(createSlices), get = LatencyStats.combined(getSlices)
        let getDecoded = LatencyStats.combined(decodedSlices), list = LatencyStats.combined(listSlices)
        try await client.shutdown()

        print(Self.report([hello, commits, create, get, getDecoded, list], hello: hello, commits: commits, create: create, get: get))
    }

    private static func hello(client: StewardClient, concurrency: Int, duration: Duration) async -> LatencyStats {
        await LoadRunner.run("GET /healthz (hello-world)", concurrency: concurrency, duration: duration) { _ in
            _ = try await client.health()
        }
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
        var lines: [[String]] = [["operation", "requests", "errors", "req/s", "p50 ms", "p99 ms", "server µs/req", "client µs/req"]]
        for row in rows {
            lines.append([
                row.operation, String(row.count), String(row.errors), number(row.perSecond, 0), number(row.p50, 2), number(row.p99, 2),
                row.serverMicroseconds.map { number($0, 0) } ?? "-", row.clientMicroseconds.map { number($0, 0) } ?? "-",
            ])
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
