import ArgumentParser
import Foundation
import JSONSchema
import StewardClient
import StewardCore

/// `steward-bench api`: the API's throughput and latency beside etcd's, the store Kubernetes'
/// control plane runs on, doing the same work in the same run with the same load generator.
struct APIBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api",
        abstract: "Measure create, get and list over the signed API beside etcd's put and get.",
        discussion: """
            Starts a server of this build in a child process (or targets --server) and etcd
            (Debian's etcd-server; ETCD names another binary) on loopback with a temporary data
            directory on the same disk, then with --concurrency clients of the same HTTP client
            and load generator measures, in one run:
              - GET /healthz (unsigned hello-world route of Steward), for scale;
              - etcd PUT of a service-sized JSON value (what Steward answers for a created
                service) through etcd's HTTP gateway, durable (WAL fsync) before it answers;
              - create of --services services (signed, validated against a schema, durable, with
                history, event and reconciliation process);
              - etcd GET by key (linearizable range read) and Steward get by name (body not
                decoded, and again decoded into a Service), and list by kind over all services.
            Each timed operation runs --duration seconds in all, split over --rounds rounds that
            alternate the two systems (hello-world, etcd put, create chunk; then hello-world,
            etcd get, get, list), so that a change in the machine's speed during the run weighs
            on both alike. Prints requests/s, p50 and p99 for each, the CPU time (user + system)
            per request of the server process (Steward's when the benchmark started it, etcd's)
            and of the load generator, and the targets: get >= etcd get; create >= 0.8x etcd put
            with a p99 no higher than etcd put's.

            EXAMPLE:
              apt-get install etcd-server
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

    @Option(help: "Where the started server and etcd keep their files (same disk).")
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
        progress("starting etcd (the peer) on loopback ...")
        let etcd: EtcdPeer
        do {
            etcd = try await EtcdPeer.start(directory: runDirectory.appendingPathComponent("etcd").path, connections: concurrency)
        } catch {
            child?.stop()
            if !keep { try? FileManager.default.removeItem(at: runDirectory) }
            throw error
        }
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

        progress("server \(serverURL), etcd \(etcd.url), \(concurrency) clients, \(total) services, \(duration) s per timed operation in \(rounds) rounds")

        progress("warming up ...")
        _ = await LoadRunner.run("warm-up", concurrency: concurrency, duration: .seconds(1)) { _ in
            _ = try await client.health()
        }

        let slice = Duration.milliseconds(duration * 1000 / rounds)
        let cpu = child.map { ProcessCPU(pid: $0.process.processIdentifier) }
        let etcdCPU = ProcessCPU(pid: etcd.process.processIdentifier)
        let rounds = self.rounds
        var helloSlices: [LatencyStats] = [], putSlices: [LatencyStats] = [], createSlices: [LatencyStats] = []

        progress("adding the definition of \(kind) ...")
        try await client.createDefinition(Self.definition(kind: kind))
        // etcd stores what Steward answers for a created service (metadata, spec, status), so both
        // sides write values of the same size.
        let sample = try await client.send(
            method: "POST", pathAndQuery: "/api/v1/namespaces/default/services",
            body: Self.service(kind: kind, name: prefix + "sample").serializedBytes())
        guard sample.status == 201 else {
            throw StewardError(.internal, "create answered \(sample.status): \(String(decoding: sample.body, as: UTF8.self))")
        }
        let value = sample.body
        let etcdKey = "/registry/services/default/" + prefix
        _ = await LoadRunner.run("etcd warm-up", concurrency: concurrency, duration: .seconds(1)) { index in
            try await etcd.put(key: etcdKey + String(index % total), value: value)
        }

        for round in 0..<rounds {
            let first = total * round / rounds, last = total * (round + 1) / rounds
            progress("round \(round + 1)/\(rounds): hello-world, etcd put, create services \(first)..<\(last) ...")
            helloSlices.append(await LatencyStats.withCPU(server: cpu) { await Self.hello(client: client, concurrency: concurrency, duration: slice) })
            let putCounter = Counter(start: total * round)
            putSlices.append(
                await LatencyStats.withCPU(server: etcdCPU) {
                    await LoadRunner.run("etcd put (\(value.count) B value)", concurrency: concurrency, duration: slice) { _ in
                        try await etcd.put(key: etcdKey + String(putCounter.next() % total), value: value)
                    }
                })
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
        // The load generator shares the machine with the servers, so the measured gets do not
        // decode the response (on either side); a second get run with decoding shows the
        // client's cost.
        var etcdGetSlices: [LatencyStats] = [], getSlices: [LatencyStats] = []
        var decodedSlices: [LatencyStats] = [], listSlices: [LatencyStats] = []
        for round in 0..<rounds {
            progress("round \(round + 1)/\(rounds): hello-world, etcd get, get by name (raw and decoded), list by kind over \(total) ...")
            helloSlices.append(await LatencyStats.withCPU(server: cpu) { await Self.hello(client: client, concurrency: concurrency, duration: slice) })
            etcdGetSlices.append(
                await LatencyStats.withCPU(server: etcdCPU) {
                    await LoadRunner.run("etcd get by key", concurrency: concurrency, duration: slice) { _ in
                        try await etcd.get(key: etcdKey + String(Int.random(in: 0..<total)))
                    }
                })
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
        let hello = LatencyStats.combined(helloSlices)
        let put = LatencyStats.combined(putSlices), create = LatencyStats.combined(createSlices)
        let etcdGet = LatencyStats.combined(etcdGetSlices), get = LatencyStats.combined(getSlices)
        let getDecoded = LatencyStats.combined(decodedSlices), list = LatencyStats.combined(listSlices)
        try await client.shutdown()
        try await etcd.stop()

        print(Self.report([hello, put, create, etcdGet, get, getDecoded, list], put: put, create: create, etcdGet: etcdGet, get: get))
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

    static func report(_ rows: [LatencyStats], put: LatencyStats, create: LatencyStats, etcdGet: LatencyStats, get: LatencyStats) -> String {
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
        let getRatio = etcdGet.perSecond > 0 ? get.perSecond / etcdGet.perSecond : 0
        let createRatio = put.perSecond > 0 ? create.perSecond / put.perSecond : 0
        func verdict(_ met: Bool) -> String { met ? "met" : "NOT met" }
        text += "\n"
        text += "get / etcd get:         \(number(getRatio, 2))x (target >= 1.00x) \(verdict(getRatio >= 1))\n"
        text += "create / etcd put:      \(number(createRatio, 2))x (target >= 0.80x) \(verdict(createRatio >= 0.8))\n"
        text += "create p99 / put p99:   \(number(create.p99, 2)) ms vs \(number(put.p99, 2)) ms (target: no higher) \(verdict(create.p99 <= put.p99))\n"
        return text
    }
}
