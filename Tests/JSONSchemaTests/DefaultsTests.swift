import Testing

@testable import JSONSchema

/// `applyingDefaults(to:)`, following the rules in docs/json-schema.md.
@Suite("Defaults")
struct DefaultsTests {
    func apply(_ schema: JSON, _ instance: JSON) throws -> JSON {
        try SchemaValidator(schema).applyingDefaults(to: instance)
    }

    @Test func fillsMissingProperties() throws {
        let schema: JSON = ["properties": ["replicas": ["type": "integer", "default": 1], "image": ["type": "string"]]]
        #expect(try apply(schema, ["image": "nginx"]) == ["image": "nginx", "replicas": 1])
        // Present values are kept, null included.
        #expect(try apply(schema, ["replicas": 5]) == ["replicas": 5])
        #expect(try apply(schema, ["replicas": nil]) == ["replicas": nil])
    }

    @Test func keepsIntegersAndOrder() throws {
        let schema: JSON = ["properties": ["a": ["default": 1], "b": ["default": 2.5]]]
        let result = try apply(schema, ["z": true])
        #expect(result.objectValue?.keys == ["z", "a", "b"])
        #expect(result.serialized() == #"{"z":true,"a":1,"b":2.5}"#)
    }

    @Test func recursesIntoNestedObjectsAndInsertedDefaults() throws {
        let schema: JSON = ["properties": [
            "database": ["type": "object", "default": [:], "properties": [
                "engine": ["default": "postgresql"],
                "port": ["default": 5432],
            ]],
        ]]
        #expect(try apply(schema, [:]) == ["database": ["engine": "postgresql", "port": 5432]])
        #expect(try apply(schema, ["database": ["engine": "mysql"]]) == ["database": ["engine": "mysql", "port": 5432]])
    }

    @Test func recursesIntoArrayItemsAndPrefixItems() throws {
        let schema: JSON = [
            "properties": ["ports": ["items": ["properties": ["protocol": ["default": "TCP"]]]]],
        ]
        #expect(try apply(schema, ["ports": [["port": 80], ["port": 53, "protocol": "UDP"]]])
                == ["ports": [["port": 80, "protocol": "TCP"], ["port": 53, "protocol": "UDP"]]])
        let tuple: JSON = ["prefixItems": [["properties": ["a": ["default": 1]]]], "items": ["properties": ["b": ["default": 2]]]]
        #expect(try apply(tuple, [[:], [:], "x"]) == [["a": 1], ["b": 2], "x"])
    }

    @Test func followsReferencesAndAllOf() throws {
        let schema: JSON = [
            "$defs": [
                "port": ["type": "integer", "default": 8080],
                "service": ["properties": ["port": ["$ref": "#/$defs/port"], "host": ["default": "localhost"]]],
            ],
            "properties": ["web": ["$ref": "#/$defs/service"]],
            "allOf": [["properties": ["mode": ["default": "fast"]]]],
        ]
        #expect(try apply(schema, ["web": [:]]) == ["web": ["port": 8080, "host": "localhost"], "mode": "fast"])
    }

    @Test func conditionalBranchesAreNotApplied() throws {
        let schema: JSON = [
            "anyOf": [["properties": ["a": ["default": 1]]]],
            "oneOf": [["properties": ["b": ["default": 2]]]],
            "if": ["properties": ["c": ["default": 3]]],
            "then": ["properties": ["d": ["default": 4]]],
            "else": ["properties": ["e": ["default": 5]]],
        ]
        #expect(try apply(schema, [:]) == [:])
    }

    @Test func rootDefaultAndNonObjectsAreLeftAlone() throws {
        #expect(try apply(["default": ["a": 1]], [:]) == [:])
        #expect(try apply(["properties": ["a": ["default": 1]]], "text") == "text")
    }

    @Test func defaultsCountForRequired() throws {
        let schema: JSON = ["properties": ["replicas": ["default": 1]], "required": ["replicas"]]
        let validator = try SchemaValidator(schema)
        #expect(!validator.isValid([:]))
        #expect(validator.isValid(validator.applyingDefaults(to: [:])))
    }

    @Test func recursiveSchemaTerminates() throws {
        let tree: JSON = ["$defs": ["node": ["properties": ["children": ["items": ["$ref": "#/$defs/node"]], "weight": ["default": 1]]]],
                          "$ref": "#/$defs/node"]
        let result = try apply(tree, ["children": [["children": [[:]]]]])
        #expect(result == ["children": [["children": [["weight": 1]], "weight": 1]], "weight": 1])
    }
}
