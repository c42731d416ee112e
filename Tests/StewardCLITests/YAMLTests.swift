import JSONSchema
import Testing

@testable import steward

/// YAML spec files become the same JSON a JSON file would give, and `-o yaml` reads back.
@Suite("YAML conversion")
struct YAMLTests {
    @Test("key order, integers, numbers, booleans, null and quoted strings map to JSON")
    func scalarsAndOrder() throws {
        let documents = try YAMLConverter.documents("""
            zeta: 1
            alpha: 2.5
            mid: "3"
            flags: [true, no, ~, null]
            big: 123456789012345678901234567890
            hex: 0x1F
            text: hello world
            date: 2025-11-08
            nested: {b: 1, a: [x, {y: z}]}
            """)
        let document = try #require(documents.first)
        #expect(document.objectValue?.keys == ["zeta", "alpha", "mid", "flags", "big", "hex", "text", "date", "nested"])
        #expect(document["zeta"].map { if case .int(1) = $0 { true } else { false } } == true)
        #expect(document["alpha"] == .double(2.5))
        #expect(document["mid"] == .string("3"))
        #expect(document["flags"] == .array([.bool(true), .bool(false), .null, .null]))
        #expect(document["big"]?.serialized() == "123456789012345678901234567890")
        #expect(document["hex"] == .int(31))
        #expect(document["text"] == "hello world")
        #expect(document["date"] == "2025-11-08")
        #expect(document["nested"]?.objectValue?.keys == ["b", "a"])
        #expect(document["nested"]?["a"]?[1]?["y"] == "z")
    }

    @Test("several documents, empty ones skipped")
    func multipleDocuments() throws {
        let documents = try YAMLConverter.documents("---\na: 1\n---\n---\nb: 2\n")
        #expect(documents == [.object(["a": 1]), .object(["b": 2])])
    }

    @Test("what JSON cannot hold is refused with the position", arguments: [
        ("a: 1\na: 2\n", "duplicate"),
        ("? [a]\n: 1\n", "is not a scalar"),
        ("base: &b {x: 1}\nother:\n  <<: *b\n", "merge keys"),
        ("a: !custom x\n", "the tag '!custom'"),
        ("a: .nan\n", "not a finite number"),
        ("a: [1, 2\n", "line"),
    ])
    func refused(text: String, reason: String) {
        #expect {
            _ = try YAMLConverter.documents(text)
        } throws: { error in
            String(describing: error).contains(reason)
        }
    }

    @Test("YAML output reads back to the same JSON, strings that look like other types quoted")
    func roundTrip() throws {
        let value: JSON = .object([
            "kind": "ExecutorDeployment",
            "strings": .array(["true", "no", "null", "~", "3", "1.5", "", " lead", "a: b", "#x", "- x", "line\nbreak", "ok:fine", "-", "0x10", ".5"]),
            "numbers": .array([.int(0), .int(-7), .double(2.5)]),
            "empty": .object([:]),
            "list": .array([]),
            "objects": .array([.object(["host": "/var/run/docker.sock", "container": "/var/run/docker.sock"]), .array([1, 2])]),
            "nested": .object(["deep": .object(["deeper": .array([.object(["x": .null])])])]),
        ])
        let text = YAMLWriter.string(value)
        let back = try YAMLConverter.documents(text)
        #expect(back == [value], "\(text)")
        #expect(back.first?.objectValue?.keys == value.objectValue?.keys)
        #expect(text.hasPrefix("kind: ExecutorDeployment\nstrings:\n- \"true\"\n"), "\(text)")
    }
}
