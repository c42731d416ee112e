import JSONSchema
import StewardClient
import StewardCore

/// The schemas `steward apply` fills defaults from before comparing a service with the server's.
///
/// Each namespace's definitions are listed once per run (after the file's definitions were
/// applied, so that a kind defined in the same file is known); a kind's schema is compiled the
/// first time a service of that kind needs it, and only then. Applying services of one kind
/// compiles that kind's schema once, whatever else the namespace defines.
struct ApplySchemaCache {
    /// Turns a schema into a validator; `SchemaValidator.init` unless a test counts the calls.
    typealias Compile = (JSON) throws -> SchemaValidator

    /// A kind's schema, before and after its first use.
    private enum Entry {
        case uncompiled(JSON)
        /// Nil: the schema does not compile. It adds no defaults then, and the server refuses
        /// the write anyway.
        case compiled(SchemaValidator?)
    }

    private let compile: Compile
    /// Namespace → kind → schema; a namespace is present once its definitions were listed.
    private var byNamespace: [String: [String: Entry]] = [:]

    /// The schemas are those of stored definitions, which the server admitted: compile them as
    /// the server does, patterns it stored before refusing exponential ones included.
    init(compile: @escaping Compile = { try SchemaValidator($0, options: .init(allowsExponentialPatterns: true)) }) {
        self.compile = compile
    }

    /// The compiled schema of `kind` in `namespace` (the client's namespace when nil); nil when
    /// no definition of that kind has a schema that compiles.
    mutating func validator(of kind: String, namespace: String?, client: StewardClient) async throws -> SchemaValidator? {
        let namespace = namespace ?? client.configuration.namespace
        return try await validator(of: kind, namespace: namespace) { try await client.definitions(namespace: namespace) }
    }

    /// The same, with the namespace's definitions read by `definitions` (called at most once per
    /// namespace).
    mutating func validator(
        of kind: String, namespace: String, definitions: () async throws -> [ServiceDefinition]
    ) async throws -> SchemaValidator? {
        if byNamespace[namespace] == nil {
            var schemas: [String: Entry] = [:]
            for definition in try await definitions() {
                if let schema = definition.spec.schema { schemas[definition.kind] = .uncompiled(schema) }
            }
            byNamespace[namespace] = schemas
        }
        switch byNamespace[namespace]?[kind] {
        case nil:
            return nil
        case .compiled(let validator):
            return validator
        case .uncompiled(let schema):
            let validator = try? compile(schema)
            byNamespace[namespace]?[kind] = .compiled(validator)
            return validator
        }
    }
}
