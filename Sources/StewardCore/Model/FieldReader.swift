import JSONSchema

/// Reads typed members out of a JSON object, throwing ``StewardError`` (`invalid_input`) that
/// names the offending field by its dotted path.
public struct FieldReader {
    /// The object being read.
    public let object: JSONObject
    /// The dotted path of the object itself (empty at the top level).
    public let path: String

    /// Reads `json` as an object; fails naming `path` when it is not one.
    public init(_ json: JSON, path: String = "") throws(StewardError) {
        guard case .object(let object) = json else {
            throw .invalidInput(
                path.isEmpty
                    ? "the request body must be a JSON object, got \(json.typeName)"
                    : "'\(path)' must be an object, got \(json.typeName)",
                field: path.isEmpty ? nil : path)
        }
        self.object = object
        self.path = path
    }

    /// The dotted path of member `key`.
    public func fieldPath(_ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    private func mismatch(_ key: String, _ expected: String, _ value: JSON) -> StewardError {
        .invalidInput("'\(fieldPath(key))' must be \(expected), got \(value.typeName)", field: fieldPath(key))
    }

    /// The member `key`, treating JSON `null` as absent.
    public func value(_ key: String) -> JSON? {
        guard let v = object[key], !v.isNull else { return nil }
        return v
    }

    public func string(_ key: String) throws(StewardError) -> String? {
        guard let v = value(key) else { return nil }
        guard case .string(let s) = v else { throw mismatch(key, "a string", v) }
        return s
    }

    public func requiredString(_ key: String) throws(StewardError) -> String {
        guard let s = try string(key), !s.isEmpty else {
            throw .invalidInput("required field '\(fieldPath(key))' is missing", field: fieldPath(key))
        }
        return s
    }

    public func int(_ key: String) throws(StewardError) -> Int? {
        guard let v = value(key) else { return nil }
        guard let i = v.intValue else { throw mismatch(key, "an integer", v) }
        return i
    }

    public func object(_ key: String) throws(StewardError) -> FieldReader? {
        guard let v = value(key) else { return nil }
        return try FieldReader(v, path: fieldPath(key))
    }

    public func stringArray(_ key: String) throws(StewardError) -> [String]? {
        guard let v = value(key) else { return nil }
        guard case .array(let items) = v else { throw mismatch(key, "an array of strings", v) }
        var out = [String]()
        out.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            guard case .string(let s) = item else {
                throw .invalidInput(
                    "'\(fieldPath(key))[\(i)]' must be a string, got \(item.typeName)", field: "\(fieldPath(key))[\(i)]")
            }
            out.append(s)
        }
        return out
    }

    /// A map of strings to strings (labels, annotations).
    public func stringMap(_ key: String) throws(StewardError) -> [String: String]? {
        guard let v = value(key) else { return nil }
        guard case .object(let o) = v else { throw mismatch(key, "an object of strings", v) }
        var out = [String: String](minimumCapacity: o.count)
        for (k, item) in o {
            guard case .string(let s) = item else {
                throw .invalidInput(
                    "'\(fieldPath(key)).\(k)' must be a string, got \(item.typeName)", field: "\(fieldPath(key)).\(k)")
            }
            out[k] = s
        }
        return out
    }

    public func timestamp(_ key: String) throws(StewardError) -> Timestamp? {
        guard let s = try string(key) else { return nil }
        guard let t = Timestamp(rfc3339: s) else {
            throw .invalidInput("'\(fieldPath(key))' must be an RFC 3339 time, got '\(s)'", field: fieldPath(key))
        }
        return t
    }
}

extension JSON {
    /// A JSON object of strings, with keys in sorted order so that output is stable.
    public static func stringMap(_ map: [String: String]) -> JSON {
        var o = JSONObject()
        for key in map.keys.sorted() { o[key] = .string(map[key]!) }
        return .object(o)
    }
}
