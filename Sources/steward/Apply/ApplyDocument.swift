import JSONSchema

/// One object of a file given to `steward apply`: a definition or a service.
struct ApplyDocument: Sendable {
    /// What the document describes.
    enum Category: String, Sendable {
        case definition
        case service
    }

    var category: Category
    /// `metadata.name`.
    var name: String
    /// The document as it goes to the server.
    var body: JSON
    /// The document's position in the file (1-based), for messages.
    var position: Int
    /// `metadata.namespace` when the document names one; the CLI's namespace otherwise.
    var namespace: String?

    /// `definition/<name>` or `service/<name>`, as apply prints it.
    var reference: String { "\(category.rawValue)/\(name)" }

    /// Classifies a document: a definition has `spec.names.kind` and no service `kind` (a
    /// `kind: ServiceDefinition` marker is accepted and dropped); a service has `kind`.
    init(_ document: JSON, position: Int, file: String) throws {
        guard case .object(var object) = document else {
            throw DocumentLoader.LoadError(description: "document \(position) of \(file) is \(document.typeName), not an object")
        }
        let kind = object["kind"]?.stringValue
        let definesKind = object["spec"]?["names"]?["kind"]?.stringValue != nil
        if kind == "ServiceDefinition" || (kind == nil && definesKind) {
            object["kind"] = nil
            object["apiVersion"] = nil
            category = .definition
        } else if kind != nil {
            category = .service
        } else {
            throw DocumentLoader.LoadError(
                description:
                    "document \(position) of \(file) is neither a definition (it has no spec.names.kind) nor a service (it has no kind)")
        }
        guard let name = object["metadata"]?["name"]?.stringValue, !name.isEmpty else {
            throw DocumentLoader.LoadError(description: "document \(position) of \(file) has no metadata.name")
        }
        self.name = name
        self.namespace = object["metadata"]?["namespace"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        self.body = .object(object)
        self.position = position
    }
}
