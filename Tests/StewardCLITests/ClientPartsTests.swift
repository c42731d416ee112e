import JSONSchema
import StewardClient
import Testing

@testable import steward

/// The pure parts of the client and the CLI: SSE parsing, display helpers, apply's comparison.
@Suite("Client and CLI parts")
struct ClientPartsTests {
    @Test("SSE events are parsed from arbitrary chunks, with CRLF, comments and multi-line data")
    func serverSentEvents() {
        let stream = ": keepalive\r\nid: 5\r\nevent: ADDED\r\ndata: {\"a\":\r\ndata: 1}\r\n\r\n: keepalive\n\nid: 6\nevent: DELETED\ndata: {}\n\n"
        for chunkSize in [1, 2, 3, 7, 1000] {
            var parser = ServerSentEventParser()
            var events: [ServerSentEvent] = []
            let bytes = Array(stream.utf8)
            var index = 0
            while index < bytes.count {
                events += parser.consume(bytes[index..<min(index + chunkSize, bytes.count)])
                index += chunkSize
            }
            #expect(
                events == [
                    ServerSentEvent(id: "5", event: "ADDED", data: "{\"a\":\n1}"),
                    ServerSentEvent(id: "6", event: "DELETED", data: "{}"),
                ], "chunk size \(chunkSize)")
        }
    }

    @Test("an unfinished event is not dispatched")
    func unfinishedEvent() {
        var parser = ServerSentEventParser()
        #expect(parser.consume(Array("data: x\n".utf8)).isEmpty)
        #expect(parser.consume(Array("\n".utf8)) == [ServerSentEvent(data: "x")])
    }

    @Test("specs are flattened to dotted paths for the Spec table")
    func flatten() throws {
        let spec = try JSON(parsing: #"{"image":"a","env":{"K":"v"},"volumes":[{"host":"/h"}],"empty":{},"n":null}"#)
        let rows = DisplayText.flatten(spec)
        #expect(rows.map(\.0) == ["image", "env.K", "volumes[0].host", "empty", "n"])
        #expect(rows.map(\.1) == ["a", "v", "/h", "{}", "-"])
    }

    @Test("apply fills schema defaults before comparing, so server defaults are not a change")
    func applyComparison() throws {
        let schema = try JSON(parsing: #"{"type":"object","properties":{"replicas":{"type":"number","default":1},"db":{"type":"object","default":{},"properties":{"port":{"default":5432}}}}}"#)
        let desired = try JSON(parsing: #"{"kind":"K","metadata":{"name":"x"},"spec":{"image":"a"}}"#)
        let current = try JSON(parsing: #"{"kind":"K","metadata":{"name":"x","labels":{}},"spec":{"image":"a","replicas":1,"db":{"port":5432}}}"#)
        #expect(ApplyComparison.serviceIsUnchanged(desired: desired, current: current, schema: schema))
        let changed = try JSON(parsing: #"{"kind":"K","metadata":{"name":"x"},"spec":{"image":"b"}}"#)
        #expect(!ApplyComparison.serviceIsUnchanged(desired: changed, current: current, schema: schema))
        let relabelled = try JSON(parsing: #"{"kind":"K","metadata":{"name":"x","labels":{"a":"b"}},"spec":{"image":"a"}}"#)
        #expect(!ApplyComparison.serviceIsUnchanged(desired: relabelled, current: current, schema: schema))
    }

    @Test("apply classifies definitions and services")
    func classification() throws {
        let definition = try ApplyDocument(
            JSON(parsing: #"{"metadata":{"name":"d"},"spec":{"names":{"kind":"K"}}}"#), position: "document 1", file: "f")
        #expect(definition.category == .definition && definition.reference == "definition/d")
        let marked = try ApplyDocument(
            JSON(parsing: #"{"kind":"ServiceDefinition","metadata":{"name":"d"},"spec":{"names":{"kind":"K"}}}"#), position: "document 1", file: "f")
        #expect(marked.category == .definition && marked.body["kind"] == nil)
        let service = try ApplyDocument(JSON(parsing: #"{"kind":"K","metadata":{"name":"s"},"spec":{}}"#), position: "document 2", file: "f")
        #expect(service.category == .service && service.reference == "service/s")
        #expect(throws: (any Error).self) { try ApplyDocument(JSON(parsing: #"{"kind":"K","spec":{}}"#), position: "document 3", file: "f") }
    }

    @Test("apply takes a list document for its items, and names an item's place in it")
    func listDocuments() throws {
        let list = try JSON(parsing: #"{"items":[{"kind":"K","metadata":{"name":"a"}},{"kind":"K","metadata":{"name":"b"}}],"revision":7}"#)
        let single = try JSON(parsing: #"{"kind":"K","metadata":{"name":"c"},"spec":{}}"#)
        let objects = try ApplyDocument.objects(of: [list, single], file: "f")
        #expect(objects.map(\.reference) == ["service/a", "service/b", "service/c"])
        let broken = try JSON(parsing: #"{"items":[{"kind":"K","metadata":{"name":"a"}},{"kind":"K"}]}"#)
        #expect(throws: (any Error).self) { try ApplyDocument.objects(of: [broken], file: "f") }
        do {
            _ = try ApplyDocument.objects(of: [broken], file: "f")
        } catch {
            #expect("\(error)" == "item 2 of document 1 of f has no metadata.name")
        }
        // A document with items and a spec is an object, not a list.
        let spec = try JSON(parsing: #"{"kind":"K","metadata":{"name":"d"},"spec":{},"items":[]}"#)
        #expect(try ApplyDocument.objects(of: [spec], file: "f").map(\.reference) == ["service/d"])
    }
}
