import Testing

@testable import JSONSchema

/// Hostile or broken input gives an error or a verdict, in bounded time, without crashing.
@Suite("Bad input")
struct BadInputTests {
    @Test func refToItselfIsRejected() throws {
        let error = try #require(throws: SchemaError.self) { try SchemaValidator(["$ref": "#"]) }
        #expect(error.code == .referenceCycle)
        #expect(error.path == "/$ref")
    }

    @Test func mutualRefCycleIsRejected() throws {
        let schema = try JSON(parsing: ##"{"$defs":{"a":{"$ref":"#/$defs/b"},"b":{"$ref":"#/$defs/a"}},"$ref":"#/$defs/a"}"##)
        let error = try #require(throws: SchemaError.self) { try SchemaValidator(schema) }
        #expect(error.code == .referenceCycle)
        #expect(error.description.contains("never end"))
    }

    @Test func cycleThroughApplicatorsIsRejected() throws {
        let schema = try JSON(parsing: ##"{"$defs":{"a":{"anyOf":[{"type":"string"},{"$ref":"#"}]}},"allOf":[{"$ref":"#/$defs/a"}]}"##)
        #expect(throws: SchemaError.self) { try SchemaValidator(schema) }
    }

    @Test func recursiveTreeSchemaStillWorks() throws {
        let tree = try JSON(parsing: """
            {"$defs": {"node": {"type": "object", "properties": {
                "value": {"type": "integer"},
                "children": {"type": "array", "items": {"$ref": "#/$defs/node"}}}, "required": ["value"]}},
             "$ref": "#/$defs/node"}
            """)
        let validator = try SchemaValidator(tree)
        #expect(validator.isValid(try JSON(parsing: #"{"value": 1, "children": [{"value": 2, "children": []}]}"#)))
        let errors = validator.validate(try JSON(parsing: #"{"value": 1, "children": [{"children": []}]}"#))
        #expect(errors.map(\.message) == ["required field 'children[0].value' is missing"])
    }

    @Test func invalidPatternNamesThePath() throws {
        let error = try #require(throws: SchemaError.self) {
            try SchemaValidator(["properties": ["name": ["type": "string", "pattern": "^[a-z+$"]]])
        }
        #expect(error.code == .invalidRegex)
        #expect(error.path == "/properties/name/pattern")
        let keyError = try #require(throws: SchemaError.self) { try SchemaValidator(["patternProperties": ["(": true]]) }
        #expect(keyError.path == "/patternProperties")
    }

    @Test(arguments: [
        (#"{"type": 5}"#, "/type"),
        (#"{"type": "strin"}"#, "/type"),
        (#"{"minimum": "a"}"#, "/minimum"),
        (#"{"required": "x"}"#, "/required"),
        (#"{"properties": []}"#, "/properties"),
        (#"{"properties": {"a": 3}}"#, "/properties"),
        (#"{"items": {"minLength": -1}}"#, "/items/minLength"),
        (#"{"multipleOf": 0}"#, "/multipleOf"),
        (#"{"allOf": []}"#, "/allOf"),
        (#"{"enum": 3}"#, "/enum"),
        (#"{"$ref": 3}"#, "/$ref"),
        (#"{"uniqueItems": "yes"}"#, "/uniqueItems"),
        (##"{"$defs": {"a": {"maxItems": 1.5}}, "$ref": "#/$defs/a"}"##, "/$defs/a/maxItems"),
        ("3", ""),
    ])
    func wrongKeywordTypesAreSchemaErrors(schema: String, path: String) throws {
        let json = try JSON(parsing: schema)
        let error = try #require(throws: SchemaError.self) { try SchemaValidator(json) }
        #expect(error.path == path)
        #expect(!error.message.isEmpty)
    }

    @Test func parserRejectsExtremeNesting() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONParseError.self) { try JSON(parsing: deep) }
    }

    @Test func deepInstanceAgainstRecursiveSchema() throws {
        let schema: JSON = ["$defs": ["list": ["type": "array", "items": ["$ref": "#/$defs/list"]]], "$ref": "#/$defs/list"]
        let validator = try SchemaValidator(schema)
        let text = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        let instance = try JSON(parsing: text)
        #expect(validator.isValid(instance))
        #expect(validator.validate(instance).isEmpty)
        let bad = try JSON(parsing: String(repeating: "[", count: 500) + "1" + String(repeating: "]", count: 500))
        let errors = validator.validate(bad)
        #expect(errors.count == 1)
        #expect(errors.first?.instancePath == String(repeating: "[0]", count: 500))
        #expect(validator.applyingDefaults(to: instance) == instance)
    }

    @Test func deepDefaults() throws {
        let schema: JSON = ["$defs": ["node": ["properties": ["next": ["$ref": "#/$defs/node"], "tag": ["default": "x"]]]],
                            "$ref": "#/$defs/node"]
        var instance: JSON = [:]
        for _ in 0..<400 { instance = ["next": instance] }
        var result = try SchemaValidator(schema).applyingDefaults(to: instance)
        var depth = 0
        while case .object(let o) = result {
            #expect(o["tag"] == "x")
            guard let next = o["next"] else { break }
            result = next
            depth += 1
        }
        #expect(depth == 400)
    }

    @Test func hugeNumbersGetAVerdict() throws {
        let huge = try JSON(parsing: "1e400")
        #expect(!(try SchemaValidator(["maximum": 1000]).isValid(huge)))
        #expect(try SchemaValidator(["minimum": 1000]).isValid(huge))
        #expect(try SchemaValidator(["type": "integer"]).isValid(huge))
        #expect(!(try SchemaValidator(["type": "integer"]).isValid(try JSON(parsing: "1e-400"))))
        #expect(try SchemaValidator(["multipleOf": 3]).isValid(huge) == false)
        #expect(try SchemaValidator(["multipleOf": 7]).isValid(try JSON(parsing: "7e400")))
        #expect(try SchemaValidator(["multipleOf": 5]).isValid(huge))
        #expect(try SchemaValidator(["multipleOf": 0.5]).isValid(huge))
        #expect(try SchemaValidator(["const": 1]).isValid(huge) == false)
    }

    @Test func fiftyMegabyteString() throws {
        let big = JSON.string(String(repeating: "a", count: 50_000_000))
        #expect(try SchemaValidator(["minLength": 1]).isValid(big))
        #expect(!(try SchemaValidator(["maxLength": 10]).isValid(big)))
        #expect(try SchemaValidator(["maxLength": 50_000_000]).isValid(big))
        #expect(!(try SchemaValidator(["minLength": 50_000_001]).isValid(big)))
        #expect(try SchemaValidator(["pattern": "^a+$"]).isValid(big))
        #expect(!(try SchemaValidator(["pattern": "b"]).isValid(big)))
    }

    @Test func uniqueItemsOverManyItemsIsLinear() throws {
        let validator = try SchemaValidator(["uniqueItems": true])
        let distinct = JSON.array((0..<100_000).map { .int($0) })
        #expect(validator.isValid(distinct))
        var repeated = (0..<100_000).map { JSON.int($0) }
        repeated.append(.double(99_999.0))
        let errors = validator.validate(.array(repeated))
        #expect(errors.map(\.message) == ["value must not contain duplicates, items 99999 and 100000 are equal"])
        let objects = JSON.array((0..<100_000).map { ["id": .int($0), "name": .string("n\($0)")] })
        #expect(validator.isValid(objects))
    }

    @Test func oneOfWithAThousandBranches() throws {
        let branches = JSON.array((0..<1_000).map { ["const": .int($0)] })
        let validator = try SchemaValidator(["oneOf": branches])
        #expect(validator.isValid(999))
        #expect(!validator.isValid(1_000))
        #expect(validator.validate(1_000).count == 1)
        let overlapping = try SchemaValidator(["oneOf": .array((0..<1_000).map { _ in ["type": "integer"] })])
        #expect(!overlapping.isValid(1))
    }
}
