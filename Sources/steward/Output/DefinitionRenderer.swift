import JSONSchema
import StewardCore

/// The tables that show definitions.
enum DefinitionRenderer {
    /// The `service definition ls` table.
    static func list(_ definitions: [ServiceDefinition], namespace: String) -> Table {
        Table(
            title: "Service Definitions in \(namespace)",
            headers: ["NAME", "KIND", "GROUP", "VERSION", "EXECUTOR TYPE", "GENERATION"],
            rows: definitions.map { definition in
                [
                    definition.metadata.name, definition.kind, definition.spec.group, definition.spec.version,
                    definition.spec.handler?.executorType ?? "-", String(definition.metadata.generation),
                ]
            })
    }

    /// The `service definition get` tables: the definition and its schema's properties.
    static func detail(_ definition: ServiceDefinition) -> [Table] {
        let spec = definition.spec
        let metadata = definition.metadata
        let pairs: [(String, String)] = [
            ("Name", metadata.name),
            ("ID", metadata.uid.isEmpty ? "-" : metadata.uid),
            ("Namespace", metadata.namespace),
            ("Kind", spec.names.kind),
            ("Group", spec.group),
            ("Version", spec.version),
            ("Plural", spec.names.plural),
            ("Singular", spec.names.singular),
            ("Scope", spec.scope),
            ("Executor Type", spec.handler?.executorType ?? "-"),
            ("Function", spec.handler?.functionName ?? "-"),
            ("Reconcile Interval", spec.handler?.reconcileInterval.map { "\($0)s" } ?? "-"),
            ("Generation", String(metadata.generation)),
            ("Created", metadata.createdAt?.rfc3339 ?? "-"),
            ("Updated", metadata.updatedAt?.rfc3339 ?? "-"),
        ]
        return [.keyValue(title: "Service Definition", pairs), schemaTable(spec.schema)]
    }

    /// One row per schema property (nested properties as dotted paths, array items as `[]`).
    static func schemaTable(_ schema: JSON?) -> Table {
        guard let schema else {
            return .keyValue(title: "Schema", [("Schema", "none: any spec is accepted")])
        }
        var rows: [[String]] = []
        collect(schema, prefix: "", into: &rows)
        return Table(title: "Schema", headers: ["PROPERTY", "TYPE", "REQUIRED", "DEFAULT", "DESCRIPTION"], rows: rows)
    }

    private static func collect(_ schema: JSON, prefix: String, into rows: inout [[String]]) {
        let required = Set((schema["required"]?.arrayValue ?? []).compactMap(\.stringValue))
        guard let properties = schema["properties"]?.objectValue else { return }
        for (name, property) in properties {
            let path = prefix.isEmpty ? name : prefix + "." + name
            var type = DisplayText.cell(property["type"])
            if let values = property["enum"]?.arrayValue {
                type += " (" + values.map { DisplayText.cell($0) }.joined(separator: "|") + ")"
            }
            rows.append([
                path, type, required.contains(name) ? "yes" : "no",
                property["default"].map { DisplayText.cell($0) } ?? "-",
                property["description"]?.stringValue ?? "-",
            ])
            collect(property, prefix: path, into: &rows)
            if let items = property["items"] {
                collect(items, prefix: path + "[]", into: &rows)
            }
        }
    }
}
