import Testing

@testable import JSONSchema

/// `validate(_:ratchetingFrom:)`: errors on values an update leaves unchanged, which the previous
/// value had too, are let stand; the rest are reported.
@Suite("Validation ratcheting")
struct RatchetingTests {
    static let schema: JSON = [
        "type": "object",
        "properties": [
            "image": ["type": "string"],
            "replicas": ["type": "integer", "maximum": 10],
            "ports": ["type": "array", "items": ["type": "object", "properties": ["port": ["type": "integer", "minimum": 1]]]],
            "labels": ["type": "object", "additionalProperties": ["type": "string", "maxLength": 3]],
        ],
        "required": ["image", "tier"],
    ]

    func messages(_ new: JSON, from old: JSON) throws -> [String] {
        try SchemaValidator(Self.schema).validate(new, ratchetingFrom: old).map(\.message)
    }

    @Test func unchangedInvalidValuesAreLetStand() throws {
        let old: JSON = ["image": "nginx", "replicas": 20, "ports": [["port": 0]], "labels": ["app name": "long"]]
        // Only image changes: the missing tier, replicas, ports[0].port and the label stay as they were.
        var new = old
        new["image"] = "nginx:2"
        #expect(try messages(new, from: old) == [])
        // Without ratcheting all of them are errors.
        #expect(try SchemaValidator(Self.schema).validate(new).count == 4)
    }

    @Test func touchedInvalidValuesAndNewErrorsAreReported() throws {
        let old: JSON = ["image": "nginx", "replicas": 20, "ports": [["port": 0]]]
        var new = old
        new["replicas"] = 30
        #expect(try messages(new, from: old) == ["field 'replicas' must be at most 10, got 30"])
        new = old
        new["ports"] = [["port": 0], ["port": -1]]
        #expect(try messages(new, from: old) == ["field 'ports[1].port' must be at least 1, got -1"])
        new = old
        new["labels"] = ["a.b": "long"]
        #expect(try messages(new, from: old) == [#"field 'labels["a.b"]' must be at most 3 characters long, got 4"#])
        new = old
        new["image"] = nil
        #expect(try messages(new, from: old) == ["required field 'image' is missing"])
    }

    @Test func renderedPathsParseBack() {
        for path in ["", "a", "a.b", "a[0].b", #"["a b"].c"#, #"labels["app.kubernetes.io/name"]"#, #"x["q\"]"][2]"#] {
            let steps = InstancePath.parse(path)
            #expect(steps.map { InstancePath.render($0) } == path, "\(path)")
        }
        #expect(InstancePath.parse("a..b") == nil)
        #expect(InstancePath.parse("a[x]") == nil)
    }
}
