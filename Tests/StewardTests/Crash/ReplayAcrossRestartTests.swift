import Foundation
import JSONSchema
import StewardClient
import StewardCore
import Testing

/// One HTTP/1.1 exchange on a fresh socket: what an attacker who captured a request sends.
enum RawHTTP {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Sends `method path` with `headers` and the JSON `body` to 127.0.0.1:`port`; the status
    /// and body of the answer.
    static func send(
        port: Int, method: String, path: String, headers: [(String, String)], body: [UInt8]
    ) throws -> (status: Int, body: String) {
        var request = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        request += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n"
        request += String(decoding: body, as: UTF8.self)
        let text = try RawSocket.exchange(port: port, request: request, readFor: 10) { _ in false }
        let statusLine = text.prefix { $0 != "\r" }.split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
            throw Failure(description: "not an HTTP response: \(text.prefix(200))")
        }
        return (status, text.range(of: "\r\n\r\n").map { String(text[$0.upperBound...]) } ?? "")
    }
}

@Suite("Replays across a restart", .serialized)
struct ReplayAcrossRestartTests {
    @Test(.timeLimit(.minutes(2)))
    func aRequestCapturedBeforeAKillIsRefusedAfterTheRestart() async throws {
        let directory = try TemporaryDirectory("steward-replay")
        defer { directory.remove() }
        let home = directory.path + "/home"
        let config = directory.path + "/config.json"
        let first = try await Blocking.run { try ServerProcess(home: home, configPath: config) }
        let owner = try Identity(privateKeyHex: try String(contentsOfFile: home + "/keys/owner.key", encoding: .utf8))
        let client = StewardClient(configuration: .init(serverURL: first.url, identity: owner), maxConnections: 1)
        _ = try await client.createDefinition(Fixtures.schemalessDefinition(kind: "Load", name: "loads.example.io"))

        // The captured request: a signed create.
        let path = "/api/v1/namespaces/default/services"
        let body = JSON.object(["kind": "Load", "metadata": ["name": "replayed"], "spec": ["replicas": 1]]).serializedBytes()
        let headers = RequestSigning.headers(for: owner, method: "POST", pathAndQuery: path, body: body)
        let send = { @Sendable (port: Int) in
            try await Blocking.run { try RawHTTP.send(port: port, method: "POST", path: path, headers: headers, body: body) }
        }
        let created = try await send(first.port)
        #expect(created.status == 201, "\(created.body)")
        // Before the restart the nonce cache refuses the replay.
        let early = try await send(first.port)
        #expect(early.status == 401)
        #expect(early.body.contains("the request was replayed"), "\(early.body)")
        // The service goes, so that an accepted replay would create it again (201).
        _ = try await client.removeService(name: "replayed")
        try await client.shutdown()

        try await Blocking.run { first.killHard() }
        let second = try await Blocking.run { try ServerProcess(home: home, configPath: config) }
        let replayed = try await send(second.port)
        #expect(replayed.status == 401, "\(replayed.body)")
        let error = StewardError(json: (try? JSON(parsing: Array(replayed.body.utf8))) ?? .null)
        #expect(error?.code == .unauthenticated)
        #expect(error?.field == "Steward-Timestamp")
        #expect(error?.message.hasPrefix("the request is older than the server's restart") == true, "\(replayed.body)")
        #expect(error?.message.hasSuffix("; sign it again") == true)

        // A client signing afresh is served (signing again once if its second is the refused one),
        // and the replay created nothing.
        let after = StewardClient(configuration: .init(serverURL: second.url, identity: owner), maxConnections: 1)
        await #expect(throws: StewardError.self) { try await after.service(name: "replayed") }
        _ = try await after.createService(["kind": "Load", "metadata": ["name": "fresh"], "spec": ["replicas": 1]])
        #expect(try await after.services(kind: "Load").items.map(\.metadata.name) == ["fresh"])
        try await after.shutdown()
        #expect(try await Blocking.run { second.terminate() } == 0)
    }
}
