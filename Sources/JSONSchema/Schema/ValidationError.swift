/// One way in which an instance does not satisfy its schema.
public struct ValidationError: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// Where in the instance, the way users write it: "" for the root, `replicas`,
    /// `database.engine`, `ports[2].port`, `labels["app name"]`. For `required` and
    /// `dependentRequired` it is the path of the missing field.
    public let instancePath: String
    /// The keyword that failed: `required`, `type`, `enum`, `maximum`, ...
    public let keyword: String
    /// What is wrong, e.g. `field 'ports[2].port' must be at most 65535, got 70000`.
    public let message: String
    /// JSON pointer to the failing keyword in the schema, e.g.
    /// `/properties/ports/items/properties/port/maximum`. A keyword reached through a `$ref`
    /// is named by its own location; in a registered document the pointer is prefixed with
    /// the document's URI.
    public let schemaPath: String

    public init(instancePath: String, keyword: String, message: String, schemaPath: String) {
        self.instancePath = instancePath
        self.keyword = keyword
        self.message = message
        self.schemaPath = schemaPath
    }

    /// The message.
    public var description: String { message }
}
