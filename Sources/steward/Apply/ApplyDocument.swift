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
    /// Where the document is in the file, for messages: `document 2`, or `item 3 of document 1`.
    var position: String
    /// `metadata.namespace` when the document names one; the CLI's namespace otherwise.
    var namespace: String?

    /// `definition/<name>` or `service/<name>`, as apply prints it.
    var reference: String { "\(category.rawValue)/\(name)" }

    /// Classifies a document: a definition has `spec.names.kind` and no service `kind` (a
    /// `kind: ServiceDefinition` marker is accepted and dropped); a service has `kind`.
    init(_ document: JSON, position: String, file: String) throws {
        guard case .object(var object) = document else {
            throw DocumentLoader.LoadError(description: "\(position) of \(file) is \(document.typeName), not an object")
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
                    "\(position) of \(file) is neither a definition (it has no spec.names.kind) nor a service (it has no kind)")
        }
        guard let name = object["metadata"]?["name"]?.stringValue, !name.isEmpty else {
            throw DocumentLoader.LoadError(description: "\(position) of \(file) has no metadata.name")
        }
        self.name = name
        self.namespace = object["metadata"]?["namespace"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        self.body = .object(object)
        self.position = position
    }

    /// The objects of a file's documents, in file order. A list document (an object with an
    /// `items` array and no `spec`, such as `steward service ls -o json|yaml` and `steward
    /// service definition ls -o json|yaml` print) stands for its items; its other members
    /// (`revision`, `kind: List`, `apiVersion`) are ignored.
    static func objects(of documents: [JSON], file: String) throws -> [ApplyDocument] {
        var objects: [ApplyDocument] = []
        for (index, document) in documents.enumerated() {
            if let items = listItems(document) {
                for (itemIndex, item) in items.enumerated() {
                    objects.append(try ApplyDocument(item, position: "item \(itemIndex + 1) of document \(index + 1)", file: file))
                }
            } else {
                objects.append(try ApplyDocument(document, position: "document \(index + 1)", file: file))
            }
        }
        return objects
    }

    /// The items of a list document, or nil when `document` is not one.
    static func listItems(_ document: JSON) -> [JSON]? {
        guard case .object(let object) = document, let items = object["items"]?.arrayValue, object["spec"] == nil else {
            return nil
        }
        return items
    }
}
