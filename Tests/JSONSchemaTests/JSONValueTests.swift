import Testing
import JSONSchema

@Suite("JSON value, parser and serializer")
struct JSONValueTests {
    func parse(_ text: String) throws -> JSON { try JSON(parsing: text) }

    @Test("integers stay integers and round-trip")
    func integersRoundTrip() throws {
        #expect(try parse("3") == .int(3))
        #expect(try parse("3").serialized() == "3")
        #expect(try parse("-0").serialized() == "0")
        #expect(try parse("9223372036854775807") == .int(Int.max))
        #expect(try parse("-9223372036854775808") == .int(Int.min))
        #expect(try parse("[1,2.5,-3e2]").serialized() == "[1,2.5,-300.0]")
    }

    @Test("big and precise numbers keep their value")
    func bigNumbers() throws {
        let big = try parse("12345678901234567890123456789")
        guard case .decimal(let d) = big else { Issue.record("expected decimal, got \(big)"); return }
        #expect(d.isInteger)
        #expect(big.serialized() == "12345678901234567890123456789")
        #expect(big.typeName == "integer")

        let huge = try parse("1e400")
        #expect(huge.isNumber)
        #expect(huge.serialized() == "1e400")
        #expect(JSONDecimal.compare(huge, .double(1.7976931348623157e308)) > 0)

        let precise = try parse("0.10000000000000000000001")
        #expect(precise.serialized() == "0.10000000000000000000001")
        #expect(precise != .double(0.1))
        #expect(JSONDecimal.compare(precise, .double(0.1)) > 0)
    }

    @Test("numeric equality follows JSON Schema")
    func numericEquality() throws {
        #expect(try parse("1") == parse("1.0"))
        #expect(try parse("1e2") == .int(100))
        #expect(try parse("[1, {\"a\": 2}]") == parse("[1.0, {\"a\": 2.0}]"))
        #expect(try parse("1") != parse("true"))
        #expect(try parse("12345678901234567890") == parse("1.2345678901234567890e19"))
        #expect(try parse("1.0").typeName == "integer")
        #expect(try parse("1.5").typeName == "number")
        var set: Set<JSON> = [try parse("1"), try parse("1.0"), try parse("2")]
        set.insert(.int(2))
        #expect(set.count == 2)
    }

    @Test("object keys keep their order; equality ignores it")
    func objectOrder() throws {
        let o = try parse(#"{"z":1,"a":2,"m":3}"#)
        #expect(o.objectValue?.keys == ["z", "a", "m"])
        #expect(o.serialized() == #"{"z":1,"a":2,"m":3}"#)
        #expect(o == (try parse(#"{"a":2,"m":3,"z":1}"#)))
        #expect(o.hashValue == (try parse(#"{"a":2,"m":3,"z":1}"#)).hashValue)
    }

    @Test("large objects index their keys")
    func largeObject() throws {
        var o = JSONObject()
        for i in 0..<100 { o["k\(i)"] = .int(i) }
        #expect(o["k57"] == .int(57))
        o["k57"] = nil
        #expect(o["k57"] == nil)
        #expect(o["k58"] == .int(58))
        #expect(o.count == 99)
        #expect(o.keys.first == "k0")
    }

    @Test("strings: escapes, unicode, surrogate pairs")
    func strings() throws {
        #expect(try parse(#""a\"b\\c\/d\n\t\u00e9\ud83d\ude00""#) == .string("a\"b\\c/d\n\té😀"))
        #expect(try parse("\"héllo\"") == .string("héllo"))
        #expect(JSON.string("line\nquote\"\u{01}").serialized() == #""line\nquote\"\u0001""#)
        let s: JSON = .string("π and 😀")
        #expect(try parse(s.serialized()) == s)
    }

    @Test("pretty printing")
    func pretty() throws {
        let v = try parse(#"{"a":[1,{"b":null}],"c":{}}"#)
        #expect(v.serialized(pretty: true) == """
        {
          "a": [
            1,
            {
              "b": null
            }
          ],
          "c": {}
        }
        """)
    }

    @Test("invalid input gives an error that says what and where", arguments: [
        ("", JSONParseError.Code.unexpectedEnd),
        ("[1,2", .unexpectedEnd),
        ("[1 2]", .unexpectedCharacter),
        ("{\"a\" 1}", .unexpectedCharacter),
        ("{\"a\":1,}", .unexpectedCharacter),
        ("01", .invalidNumber),
        ("1.", .invalidNumber),
        ("-", .invalidNumber),
        ("1e", .invalidNumber),
        ("tru", .unexpectedEnd),
        ("nul1", .unexpectedCharacter),
        ("\"abc", .unexpectedEnd),
        ("\"a\u{01}b\"", .invalidString),
        ("\"\\x\"", .invalidEscape),
        ("\"\\ud800\"", .invalidEscape),
        ("\"\\udc00x\"", .invalidEscape),
        ("{} x", .trailingCharacters),
        ("1 2", .trailingCharacters),
        ("{\"a\":1,\"a\":2}", .duplicateKey),
        ("NaN", .unexpectedCharacter),
    ])
    func invalid(text: String, code: JSONParseError.Code) {
        #expect {
            _ = try JSON(parsing: text)
        } throws: { error in
            (error as? JSONParseError)?.code == code
        }
    }

    @Test("errors carry line and column")
    func errorPosition() {
        do {
            _ = try JSON(parsing: "{\n  \"a\": [1,\n    x]\n}")
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 3)
            #expect(error.column == 5)
            #expect(error.description.contains("line 3, column 5"))
        }
    }

    @Test("invalid UTF-8 is rejected")
    func invalidUTF8() {
        let bytes: [UInt8] = [0x22, 0x61, 0xC3, 0x28, 0x22]
        #expect(throws: JSONParseError.self) { try JSON(parsing: bytes) }
        let overlong: [UInt8] = [0x22, 0xC0, 0xAF, 0x22]
        #expect(throws: JSONParseError.self) { try JSON(parsing: overlong) }
    }

    @Test("nesting past the limit is an error, not a crash")
    func deepNesting() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        do {
            _ = try JSON(parsing: deep)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .tooDeep)
            #expect(error.message.contains("512"))
        }
        let ok = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(throws: Never.self) { try JSON(parsing: ok) }
        let objects = String(repeating: "{\"a\":", count: 513) + "1" + String(repeating: "}", count: 513)
        #expect(throws: JSONParseError.self) { try JSON(parsing: objects) }
        let custom = String(repeating: "[", count: 11) + String(repeating: "]", count: 11)
        #expect(throws: JSONParseError.self) { try JSON(parsing: custom, maxDepth: 10) }
    }

    @Test("a 50 MB string parses")
    func hugeString() throws {
        var bytes = [UInt8](repeating: UInt8(ascii: "x"), count: 50 << 20)
        bytes[0] = 0x22
        bytes[bytes.count - 1] = 0x22
        let v = try JSON(parsing: bytes)
        #expect(v.stringValue?.utf8.count == (50 << 20) - 2)
    }

    @Test("literals build values")
    func literals() {
        let v: JSON = ["name": "web", "replicas": 3, "ratio": 0.5, "tags": ["a", nil, true]]
        #expect(v["name"] == "web")
        #expect(v["replicas"]?.intValue == 3)
        #expect(v["tags"]?[1] == .null)
        #expect(v.serialized() == #"{"name":"web","replicas":3,"ratio":0.5,"tags":["a",null,true]}"#)
    }
}
