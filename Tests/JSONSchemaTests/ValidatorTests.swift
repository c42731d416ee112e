import Testing

@testable import JSONSchema

/// Messages, paths and options of the validator, as a user of the control plane sees them.
@Suite("Schema validator")
struct ValidatorTests {
    /// The deployment schema of the seed and the benchmark.
    static let deployment: JSON = try! JSON(parsing: """
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "type": "object",
          "properties": {
            "image": {"type": "string", "minLength": 1, "pattern": "^[a-z0-9./_-]+(:[A-Za-z0-9._-]+)?$"},
            "replicas": {"type": "integer", "minimum": 0, "maximum": 1000, "default": 1},
            "size": {"enum": ["small", "medium", "large"]},
            "name": {"type": "string", "pattern": "^[a-z]+$"},
            "ports": {"type": "array", "maxItems": 64, "items": {
              "type": "object",
              "properties": {"name": {"type": "string"}, "port": {"type": "integer", "minimum": 1, "maximum": 65535},
                             "protocol": {"type": "string", "enum": ["TCP", "UDP"]}},
              "required": ["port"], "additionalProperties": false}},
            "labels": {"type": "object", "additionalProperties": {"type": "string"}},
            "database": {"type": "object", "properties": {
              "engine": {"type": "string", "enum": ["postgresql", "mysql"]},
              "port": {"type": "number", "default": 5432}}, "required": ["engine"]}
          },
          "required": ["image"]
        }
        """)

    func errors(_ instance: String, schema: JSON = ValidatorTests.deployment) throws -> [ValidationError] {
        let validator = try SchemaValidator(schema)
        let value = try JSON(parsing: instance)
        let errors = validator.validate(value)
        #expect(validator.isValid(value) == errors.isEmpty)
        return errors
    }

    @Test func validInstanceHasNoErrors() throws {
        #expect(try errors(#"{"image": "nginx:1.25", "replicas": 3, "ports": [{"port": 80}], "database": {"engine": "mysql"}}"#).isEmpty)
    }

    @Test func missingRequiredFieldNamesTheField() throws {
        let e = try errors(#"{"replicas": 1}"#)
        #expect(e.map(\.message) == ["required field 'image' is missing"])
        #expect(e.first?.instancePath == "image")
        #expect(e.first?.keyword == "required")
        #expect(e.first?.schemaPath == "/required")
    }

    @Test func nestedRequiredFieldGivesTheFullPath() throws {
        let e = try errors(#"{"image": "a", "database": {}}"#)
        #expect(e.map(\.message) == ["required field 'database.engine' is missing"])
        #expect(e.first?.instancePath == "database.engine")
        #expect(e.first?.schemaPath == "/properties/database/required")
    }

    @Test func typeMismatch() throws {
        let e = try errors(#"{"image": "a", "replicas": "three"}"#)
        #expect(e.map(\.message) == ["field 'replicas' must be an integer, got string"])
        #expect(e.first?.instancePath == "replicas")
        #expect(e.first?.keyword == "type")
    }

    @Test func numberTypeWording() throws {
        let schema: JSON = ["properties": ["replicas": ["type": "number"]]]
        #expect(try errors(#"{"replicas": "3"}"#, schema: schema).map(\.message) == ["field 'replicas' must be a number, got string"])
    }

    @Test func enumListsTheChoices() throws {
        let e = try errors(#"{"image": "a", "size": "huge"}"#)
        #expect(e.map(\.message) == [#"field 'size' must be one of [small, medium, large], got "huge""#])
    }

    @Test func arrayItemPathAndMaximum() throws {
        let e = try errors(#"{"image": "a", "ports": [{"port": 1}, {"port": 2}, {"port": 70000}]}"#)
        #expect(e.map(\.message) == ["field 'ports[2].port' must be at most 65535, got 70000"])
        #expect(e.first?.instancePath == "ports[2].port")
        #expect(e.first?.schemaPath == "/properties/ports/items/properties/port/maximum")
    }

    @Test func patternMessage() throws {
        let e = try errors(#"{"image": "a", "name": "Bob"}"#)
        #expect(e.map(\.message) == ["field 'name' must match pattern '^[a-z]+$'"])
    }

    @Test func rootTypeMismatch() throws {
        let e = try errors("[1, 2]")
        #expect(e.map(\.message) == ["value must be an object, got array"])
        #expect(e.first?.instancePath == "")
    }

    @Test func additionalPropertyIsNamed() throws {
        let e = try errors(#"{"image": "a", "ports": [{"port": 1, "hostPort": 2}]}"#)
        #expect(e.map(\.message) == ["field 'ports[0].hostPort' is not allowed"])
        #expect(e.first?.keyword == "additionalProperties")
        #expect(e.first?.instancePath == "ports[0].hostPort")
    }

    @Test func keysThatAreNotIdentifiersAreQuoted() throws {
        let e = try errors(#"{"image": "a", "labels": {"app name": 3}}"#)
        #expect(e.map(\.instancePath) == [#"labels["app name"]"#])
        #expect(e.map(\.message) == [#"field 'labels["app name"]' must be a string, got number"#])
    }

    @Test func allFailuresAreReported() throws {
        let e = try errors(#"{"replicas": -1, "size": "huge", "ports": [{"port": 0, "protocol": "SCTP"}], "database": {}}"#)
        #expect(Set(e.map(\.instancePath)) == ["image", "replicas", "size", "ports[0].port", "ports[0].protocol", "database.engine"])
        #expect(e.count == 6)
    }

    @Test func errorsStopAtTheCap() throws {
        let schema: JSON = ["items": ["type": "string"]]
        let validator = try SchemaValidator(schema, options: .init(maxErrors: 3))
        let errors = validator.validate(.array(Array(repeating: 1, count: 50)))
        #expect(errors.count == 3)
        #expect(errors.map(\.instancePath) == ["[0]", "[1]", "[2]"])
    }

    @Test func everyKeywordHasAReadableMessage() throws {
        let cases: [(JSON, JSON, String)] = [
            (["const": "x"], "y", #"value must be "x", got "y""#),
            (["minimum": 5], 4, "value must be at least 5, got 4"),
            (["exclusiveMinimum": 5], 5, "value must be greater than 5, got 5"),
            (["exclusiveMaximum": 5], 5, "value must be less than 5, got 5"),
            (["multipleOf": 0.5], 0.7, "value must be a multiple of 0.5, got 0.7"),
            (["minLength": 2], "a", "value must be at least 2 characters long, got 1"),
            (["maxLength": 1], "ab", "value must be at most 1 character long, got 2"),
            (["minItems": 2], [1], "value must have at least 2 items, got 1"),
            (["maxItems": 0], [1], "value must have at most 0 items, got 1"),
            (["uniqueItems": true], [1, 2, 1], "value must not contain duplicates, items 0 and 2 are equal"),
            (["contains": ["type": "string"]], [1], "value must contain at least one item matching the 'contains' schema, found 0"),
            (["minProperties": 1], [:], "value must have at least 1 property, got 0"),
            (["maxProperties": 0], ["a": 1], "value must have at most 0 properties, got 1"),
            (["propertyNames": ["maxLength": 2]], ["abc": 1], "value has a property name that is not allowed: 'abc'"),
            (["dependentRequired": ["a": ["b"]]], ["a": 1], "required field 'b' is missing (required when 'a' is present)"),
            (["anyOf": [["type": "string"], ["type": "null"]]], 1, "value must match at least one of the 2 schemas in anyOf"),
            (["oneOf": [["type": "integer"], ["minimum": 0]]], 1, "value must match exactly one of the 2 schemas in oneOf, but it matches 2 (schemas 0, 1)"),
            (["not": ["type": "integer"]], 1, "value must not match the schema in 'not'"),
            (["type": ["string", "null"]], 1, "value must be a string or null, got number"),
            (false, 1, "value is not allowed"),
            (["unevaluatedProperties": false], ["a": 1], "field 'a' is not allowed"),
            (["prefixItems": [true], "items": false], [1, 2], "field '[1]' is not allowed"),
        ]
        for (schema, instance, message) in cases {
            let validator = try SchemaValidator(schema)
            #expect(validator.validate(instance).map(\.message) == [message], "schema \(schema)")
            #expect(!validator.isValid(instance))
        }
    }

    @Test func formatIsAnAnnotationUnlessAsserted() throws {
        let schema: JSON = ["format": "ipv4"]
        #expect(try SchemaValidator(schema).isValid("not an address"))
        let asserting = try SchemaValidator(schema, options: .init(formatAssertion: true))
        #expect(!asserting.isValid("not an address"))
        #expect(asserting.isValid("10.0.0.1"))
        #expect(asserting.validate("x").map(\.message) == [#"value must be a valid ipv4, got "x""#])
        // Unknown formats pass even when asserted.
        #expect(try SchemaValidator(["format": "flavour"], options: .init(formatAssertion: true)).isValid("x"))
    }

    @Test func dialectIsChosenBySchemaKeyword() throws {
        // draft-07: `items` as an array is positional; `$ref` overrides its siblings.
        let draft7: JSON = ["$schema": "http://json-schema.org/draft-07/schema#", "items": [["type": "string"]]]
        #expect(try SchemaValidator(draft7).isValid(["a", 1]))
        #expect(!(try SchemaValidator(draft7).isValid([1])))
        let refOverrides: JSON = ["$schema": "http://json-schema.org/draft-07/schema#",
                                  "definitions": ["s": ["type": "string"]], "$ref": "#/definitions/s", "maxLength": 1]
        #expect(try SchemaValidator(refOverrides).isValid("long string"))
        // 2020-12 (the default): `$ref` applies alongside siblings.
        let refAlongside: JSON = ["$defs": ["s": ["type": "string"]], "$ref": "#/$defs/s", "maxLength": 1]
        #expect(!(try SchemaValidator(refAlongside).isValid("long string")))
        // The default dialect can be changed.
        let plain: JSON = ["items": [["type": "string"]]]
        #expect(throws: SchemaError.self) { try SchemaValidator(plain) }
        #expect(try SchemaValidator(plain, options: .init(defaultDialect: .draft7)).isValid(["a", 1]))
    }

    @Test func registryResolvesExternalDocuments() throws {
        var registry = SchemaRegistry()
        try registry.register(["$defs": ["port": ["type": "integer", "maximum": 65535]]], uri: "https://steward.dev/schemas/common.json")
        let schema: JSON = ["properties": ["port": ["$ref": "https://steward.dev/schemas/common.json#/$defs/port"]]]
        let validator = try SchemaValidator(schema, options: .init(registry: registry))
        #expect(validator.isValid(["port": 80]))
        let e = validator.validate(["port": 70000])
        #expect(e.map(\.message) == ["field 'port' must be at most 65535, got 70000"])
        #expect(e.first?.schemaPath == "https://steward.dev/schemas/common.json#/$defs/port/maximum")
        #expect(throws: SchemaError.self) { try registry.register(true, uri: "relative/path.json") }
    }

    @Test func unknownReferenceIsASchemaError() throws {
        let error = try #require(throws: SchemaError.self) { try SchemaValidator(["properties": ["a": ["$ref": "#/$defs/missing"]]]) }
        #expect(error.code == .unresolvedReference)
        #expect(error.path == "/properties/a/$ref")
        #expect(error.description.contains("#/$defs/missing"))
    }

    @Test func unknownDialectIsASchemaError() throws {
        let error = try #require(throws: SchemaError.self) { try SchemaValidator(["$schema": "https://example.com/my-meta"]) }
        #expect(error.code == .unsupportedDialect)
        #expect(error.path == "/$schema")
    }

    @Test func integersAndExactDecimals() throws {
        let validator = try SchemaValidator(["type": "integer", "multipleOf": 3])
        #expect(validator.isValid(9))
        #expect(validator.isValid(9.0))
        #expect(!validator.isValid(10))
        let fine = try SchemaValidator(["multipleOf": 0.0001])
        #expect(fine.isValid(0.0075))
        #expect(fine.isValid(try JSON(parsing: "12345678901234567890.0001")))
        #expect(!fine.isValid(0.00075))
        let big = try SchemaValidator(["maximum": try JSON(parsing: "18446744073709551616")])
        #expect(big.isValid(try JSON(parsing: "18446744073709551615")))
        #expect(!big.isValid(try JSON(parsing: "18446744073709551617")))
    }

    @Test func validatorIsSendableAcrossTasks() async throws {
        let validator = try SchemaValidator(Self.deployment)
        let results = await withTaskGroup(of: Bool.self) { group in
            for i in 0..<8 {
                group.addTask { validator.isValid(["image": .string("app-\(i)")]) }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results == Array(repeating: true, count: 8))
    }
}
