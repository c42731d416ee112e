import Foundation
import HummingbirdTesting
import JSONSchema
import StewardClient
import StewardCore
import StewardServer
import StewardSupervisor
import Testing

/// `GET /api/v1/namespaces/{ns}/services/{name}/logs` over log files the test writes, in
/// process and over a real socket with `StewardClient`.
@Suite("Instance logs API")
struct InstanceLogsAPITests {
    /// Serves the files as `steward server` does (its conformance lives in the executable).
    struct FilesSource: InstanceLogSource {
        let files: InstanceLogFiles

        func read(namespace: String, service: String, query: LogQuery) async throws -> AsyncThrowingStream<[UInt8], Error> {
            try files.read(namespace: namespace, service: service, query: query)
        }
    }

    /// Runs `body` against a server whose logs are under `<home>/logs`, with a service `web`
    /// whose replica 0 has an instance that wrote "one\ntwo\nthree\n" and replica 1 a previous
    /// and a current instance.
    func withServer(
        _ setup: TestingSetup = .router, logs: Bool = true,
        _ body: @Sendable (API, StewardServerComponents, InstanceLogFiles) async throws -> Void
    ) async throws {
        let server = try TestServer()
        defer { server.directory.remove() }
        let files = InstanceLogFiles(root: server.configuration.absoluteHome + "/logs")
        let (application, components) = try await buildApplication(server.configuration, logs: logs ? FilesSource(files: files) : nil)
        defer { components.store.close() }
        try await application.test(setup) { client in
            let api = API(client: client, identity: components.owner)
            #expect(try await api.createDefinition(Fixtures.schemalessDefinition(kind: "Web", name: "webs.example.io")).status == .created)
            #expect(try await api.createService(["kind": "Web", "metadata": ["name": "web"], "spec": [:]]).status == .created)
            #expect(try await api.createService(["kind": "Web", "metadata": ["name": "quiet"], "spec": [:]]).status == .created)
            let now = Date()
            try write("one\ntwo\nthree\n", files, replica: 0, startedAt: now.addingTimeInterval(-10))
            try write("before\n", files, replica: 1, startedAt: now.addingTimeInterval(-20))
            try write("after\n", files, replica: 1, startedAt: now.addingTimeInterval(-5))
            try await body(api, components, files)
        }
    }

    @discardableResult
    func write(_ text: String, _ files: InstanceLogFiles, replica: Int, startedAt: Date) throws -> String {
        try files.createDirectory(namespace: "default", service: "web", replica: replica)
        let path = files.path(
            namespace: "default", service: "web", replica: replica,
            instanceID: InstanceLogFiles.instanceID(service: "web", replica: replica, startedAt: startedAt))
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static let base = "/api/v1/namespaces/default/services"

    @Test("plain text of every replica's current instance, prefixed; tail, instance and previous")
    func reading() async throws {
        try await withServer { api, _, _ in
            let all = try await api.request(.get, "\(Self.base)/web/logs")
            #expect(all.status == .ok)
            #expect(all.headers[.contentType] == "text/plain; charset=utf-8")
            #expect(all.text == "web-0 | one\nweb-0 | two\nweb-0 | three\nweb-1 | after\n")
            #expect(try await api.request(.get, "\(Self.base)/web/logs?tail=1").text == "web-0 | three\nweb-1 | after\n")
            #expect(try await api.request(.get, "\(Self.base)/web/logs?instance=web-0&tail=2").text == "two\nthree\n")
            #expect(try await api.request(.get, "\(Self.base)/web/logs?instance=web-1&previous=true").text == "before\n")
            let stamped = try await api.request(.get, "\(Self.base)/web/logs?instance=web-1&timestamps=true&since=1h").text
            #expect(stamped.hasSuffix("Z after\n") && stamped.count == "2026-12-03T16:38:46.123Z after\n".count, "\(stamped)")
            // A service without logs: empty, also when following.
            let quiet = try await api.request(.get, "\(Self.base)/quiet/logs?follow=true")
            #expect(quiet.status == .ok)
            #expect(quiet.text == "")
        }
    }

    @Test("errors: 404 for a missing service, an unknown instance or no previous; 400 naming the parameter")
    func errors() async throws {
        try await withServer { api, _, _ in
            let missing = try await api.request(.get, "\(Self.base)/nope/logs")
            #expect(missing.status == .notFound)
            #expect(missing.error?.message == "service 'nope' not found in namespace 'default'")

            let unknown = try await api.request(.get, "\(Self.base)/web/logs?instance=web-9")
            #expect(unknown.status == .notFound)
            #expect(unknown.error?.message.contains("service 'web' has no instance 'web-9'") == true)
            #expect(unknown.error?.message.contains("web-0 (web-0-") == true, "\(unknown.text)")

            let previous = try await api.request(.get, "\(Self.base)/web/logs?instance=web-0&previous=true")
            #expect(previous.status == .notFound)
            #expect(previous.error?.message == "web-0 has no previous instance")

            for (name, value) in [("tail", "-1"), ("tail", "1000001"), ("since", "ten"), ("follow", "yes"), ("previous", "1"), ("timestamps", "no")] {
                let response = try await api.request(.get, "\(Self.base)/web/logs?\(name)=\(value)")
                #expect(response.status == .badRequest, "\(name)=\(value)")
                #expect(response.error?.field == name, "\(name)=\(value): \(response.text)")
            }

            let elsewhere = try await api.request(.get, "/api/v1/namespaces/other/services/web/logs")
            #expect(elsewhere.status == .notFound)
        }
    }

    @Test("a server without a supervisor answers 503")
    func noSupervisor() async throws {
        try await withServer(logs: false) { api, _, _ in
            let response = try await api.request(.get, "\(Self.base)/web/logs")
            #expect(response.status == .serviceUnavailable)
            #expect(response.error?.code == .unavailable)
            #expect(response.error?.message.hasPrefix("this server runs no supervisor") == true)
        }
    }

    @Test("StewardClient follows a log over a real socket as it grows, and stops when cancelled")
    func followWithClient() async throws {
        try await withServer(.live) { api, components, files in
            let port = try #require(api.client.port)
            let client = StewardClient(
                configuration: .init(serverURL: "http://127.0.0.1:\(port)", identity: components.owner), maxConnections: 4)
            do {
                let directory = files.directory(namespace: "default", service: "web", replica: 0)
                let name = try #require(try FileManager.default.contentsOfDirectory(atPath: directory).first { $0.hasSuffix(".log") })
                let path = directory + "/" + name
                let stream = try await client.logs(service: "web", query: LogQuery(instance: "web-0", tail: 1, follow: true))
                let received = ReceivedText()
                let reading = Task {
                    for try await chunk in stream { received.append(chunk) }
                }
                #expect(await received.wait { $0 == "three\n" }, "\(received.text)")
                let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
                try handle.seekToEnd()
                try handle.write(contentsOf: Data("four\n".utf8))
                try handle.close()
                #expect(await received.wait { $0 == "three\nfour\n" }, "\(received.text)")
                reading.cancel()
                _ = await reading.result

                let refused = await #expect(throws: StewardError.self) {
                    _ = try await client.logs(service: "web", query: LogQuery(instance: "web-5"))
                }
                #expect(refused?.code == .notFound)
            } catch {
                try await client.shutdown()
                throw error
            }
            try await client.shutdown()
        }
    }
}

/// Text received by a stream, read from another task.
final class ReceivedText: @unchecked Sendable {
    private let lock = NSLock()
    private var bytes: [UInt8] = []

    func append(_ chunk: [UInt8]) { lock.withLock { bytes += chunk } }
    var text: String { lock.withLock { String(decoding: bytes, as: UTF8.self) } }

    /// Waits up to 30 s for `condition` on the text.
    func wait(until condition: (String) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if condition(text) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return condition(text)
    }
}
