import JSONSchema

/// Decides whether applying a document would change the object on the server, so that
/// `steward apply` can report `unchanged` without writing.
enum ApplyComparison {
    /// True when the service `desired` (a document from a file) has the same spec, labels and
    /// annotations as `current` (the service on the server), once the schema's defaults are
    /// filled into the desired spec as the server would fill them.
    static func serviceIsUnchanged(desired: JSON, current: JSON, schema: JSON?) -> Bool {
        let desiredSpec = withDefaults(desired["spec"] ?? .object([:]), schema: schema)
        guard desiredSpec == (current["spec"] ?? .object([:])) else { return false }
        guard desired["kind"] == current["kind"] else { return false }
        for field in ["labels", "annotations"] {
            let wanted = desired["metadata"]?[field] ?? .object([:])
            let have = current["metadata"]?[field] ?? .object([:])
            if !(wanted == have || (wanted.isNull && have == .object([:]))) { return false }
        }
        return true
    }

    /// True when the definition `desired` has the same spec as `current`. Both are read through
    /// the same model so that defaults (plural, singular, function name) compare equal.
    static func definitionIsUnchanged(desiredSpec: JSON, currentSpec: JSON) -> Bool {
        desiredSpec == currentSpec
    }

    /// `value` with the `default` of each schema property it lacks filled in, recursively
    /// through `properties` of objects (JSON Schema's `default` keyword, as the server applies it).
    static func withDefaults(_ value: JSON, schema: JSON?) -> JSON {
        guard let schema, case .object(var object) = value, let properties = schema["properties"]?.objectValue else {
            return value
        }
        for (name, property) in properties {
            if let present = object[name] {
                object[name] = withDefaults(present, schema: property)
            } else if let fallback = property["default"] {
                object[name] = withDefaults(fallback, schema: property)
            }
        }
        return .object(object)
    }
}
