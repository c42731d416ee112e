import JSONSchema

/// Decides whether applying a document would change the object on the server, so that
/// `steward apply` can report `unchanged` without writing.
enum ApplyComparison {
    /// True when the service `desired` (a document from a file) has the same spec, labels and
    /// annotations as `current` (the service on the server), once the schema's defaults are
    /// filled into the desired spec exactly as the server fills them (`applyingDefaults`).
    static func serviceIsUnchanged(desired: JSON, current: JSON, validator: SchemaValidator?) -> Bool {
        let spec = desired["spec"] ?? .object([:])
        let desiredSpec = validator?.applyingDefaults(to: spec) ?? spec
        guard desiredSpec == (current["spec"] ?? .object([:])) else { return false }
        guard desired["kind"] == current["kind"] else { return false }
        for field in ["labels", "annotations"] {
            let wanted = desired["metadata"]?[field] ?? .object([:])
            let have = current["metadata"]?[field] ?? .object([:])
            if !(wanted == have || (wanted.isNull && have == .object([:]))) { return false }
        }
        return true
    }

    /// The same, with the kind's schema not yet compiled (a schema that does not compile adds
    /// no defaults; the server would refuse the write anyway).
    static func serviceIsUnchanged(desired: JSON, current: JSON, schema: JSON?) -> Bool {
        serviceIsUnchanged(desired: desired, current: current, validator: schema.flatMap { try? SchemaValidator($0) })
    }
}
