import JSONSchema
import StewardCore
import Testing

@Suite("JSON paths for `service set`")
struct JSONPathTests {
    let document: JSON = [
        "spec": ["replicas": 1, "ports": [["name": "http", "port": 80]], "env": ["A": "1"]],
    ]

    @Test func parsesDottedAndIndexedPaths() throws {
        let path = try JSONPath(parsing: "spec.ports[0].port")
        #expect(path.components == [.key("spec"), .key("ports"), .index(0), .key("port")])
        #expect(path.description == "spec.ports[0].port")
        let quoted = try JSONPath(parsing: #"metadata.labels["app.kubernetes.io/name"]"#)
        #expect(quoted.components == [.key("metadata"), .key("labels"), .key("app.kubernetes.io/name")])
        #expect(try JSONPath(parsing: "a[1][2]").components == [.key("a"), .index(1), .index(2)])
    }

    @Test(arguments: ["", ".a", "a.", "a..b", "a[x]", "a[-1]", "a[1", "a]b", "a[0]b"])
    func refusesMalformedPaths(_ text: String) {
        #expect(throws: StewardError.self) { try JSONPath(parsing: text) }
    }

    @Test("a backslash in a plain key is refused, with the bracket form as the hint")
    func refusesBackslashInPlainKeys() throws {
        #expect { try JSONPath(parsing: #"spec.env.a\.b"#) } throws: { error in
            (error as? StewardError)?.message
                == #"invalid path 'spec.env.a\.b': '\' at position 11 is not an escape in a plain key; write a key that holds '.', '[', ']' or '\' in brackets with quotes: spec.env["a.b"]"#
        }
        #expect { try JSONPath(parsing: #"labels.a\b"#) } throws: { error in
            (error as? StewardError)?.message.hasSuffix(#"in brackets with quotes: labels["a\\b"]"#) == true
        }
        // Keys with backslashes are written, and read back, in brackets.
        let path = JSONPath([.key("env"), .key(#"a\b"#), .key("c.d")])
        #expect(path.description == #"env["a\\b"]["c.d"]"#)
        #expect(try JSONPath(parsing: path.description) == path)
    }

    @Test func setsExistingAndNewFields() throws {
        var result = try JSONPath(parsing: "spec.replicas").setting(5, in: document)
        #expect(result["spec"]?["replicas"] == 5)
        result = try JSONPath(parsing: "spec.ports[0].port").setting(8080, in: result)
        #expect(result["spec"]?["ports"]?[0]?["port"] == 8080)
        #expect(result["spec"]?["ports"]?[0]?["name"] == "http")
        result = try JSONPath(parsing: "spec.volumes[0].host").setting("/tmp", in: result)
        #expect(result["spec"]?["volumes"] == [["host": "/tmp"]])
        result = try JSONPath(parsing: "spec.ports[1]").setting(["port": 443], in: result)
        #expect(result["spec"]?["ports"]?.arrayValue?.count == 2)
    }

    @Test func errorsNameTheStep() {
        do {
            _ = try JSONPath(parsing: "spec.ports[5].port").setting(1, in: document)
            Issue.record("set out of range")
        } catch {
            #expect(error.message.contains("index 5 is out of range"))
            #expect(error.message.contains("has 1 element(s)"))
        }
        do {
            _ = try JSONPath(parsing: "spec.replicas.count").setting(1, in: document)
            Issue.record("set inside a number")
        } catch {
            #expect(error.message.contains("'spec.replicas' is integer, not an object"))
        }
    }

    @Test func valuesParseAsJSONElseString() {
        #expect(JSONPath.parseValue("5") == 5)
        #expect(JSONPath.parseValue("true") == true)
        #expect(JSONPath.parseValue(#"{"a":[1]}"#) == ["a": [1]])
        #expect(JSONPath.parseValue("nginx:latest") == "nginx:latest")
    }
}
