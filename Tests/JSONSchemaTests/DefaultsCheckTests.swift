import Testing

@testable import JSONSchema

/// `checkDefaults()`: a `default` that fails the schema it is written in is a schema error that
/// names the default's pointer and the rule it breaks.
@Suite("Defaults check")
struct DefaultsCheckTests {
    private func violation(_ schema: String) throws -> SchemaError? {
        let validator = try SchemaValidator(JSON(parsing: schema))
        do {
            try validator.checkDefaults()
            return nil
        } catch {
            return error
        }
    }

    @Test func aDefaultOfTheWrongTypeIsRefused() throws {
        let error = try #require(try violation(#"{"properties": {"port": {"type": "integer", "default": "eighty"}}}"#))
        #expect(error.code == .invalidDefault)
        #expect(error.path == "/properties/port/default")
        #expect(error.message == #"the default "eighty" does not satisfy its own schema: value must be an integer, got string (at /properties/port/type)"#)
    }

    @Test func aDefaultBelowTheMinimumIsRefused() throws {
        let error = try #require(try violation(#"{"properties": {"replicas": {"type": "integer", "minimum": 1, "default": 0}}}"#))
        #expect(error.path == "/properties/replicas/default")
        #expect(error.message.contains("value must be at least 1, got 0"))
    }

    @Test func nestedAndReferencedDefaultsAreChecked() throws {
        // An object default is filled with its members' defaults before it is checked.
        #expect(try violation("""
            {"properties": {"database": {"type": "object", "default": {}, "required": ["port"],
              "properties": {"port": {"type": "integer", "default": 5432}}}}}
            """) == nil)
        let missing = try #require(try violation("""
            {"properties": {"database": {"type": "object", "default": {}, "required": ["engine"]}}}
            """))
        #expect(missing.path == "/properties/database/default")
        #expect(missing.message.contains("required field 'engine' is missing"))
        // A default reached through $ref must also satisfy the referring property's own keywords.
        let referenced = try #require(try violation("""
            {"$defs": {"port": {"type": "integer", "default": 80}},
             "properties": {"adminPort": {"$ref": "#/$defs/port", "minimum": 1024}}}
            """))
        #expect(referenced.path == "/properties/adminPort")
        #expect(referenced.message.contains("value must be at least 1024, got 80"))
    }

    @Test func validDefaultsPass() throws {
        #expect(try violation("""
            {"type": "object", "properties": {
              "replicas": {"type": "integer", "minimum": 1, "default": 1},
              "image": {"type": "string", "pattern": "^[a-z]+$", "default": "nginx"},
              "tags": {"type": "array", "items": {"type": "string"}, "default": []}}}
            """) == nil)
    }
}
