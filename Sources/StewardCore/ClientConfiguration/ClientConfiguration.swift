import JSONSchema

/// The client configuration (`config.json`): named contexts, each a server address, a key file
/// and a namespace, and which of them the CLI uses, as a kubeconfig names its contexts and its
/// current context.
///
/// ```json
/// {
///   "currentContext": "/home/me/project/.steward",
///   "contexts": [
///     {"name": "/home/me/project/.steward", "server": "http://127.0.0.1:7700",
///      "prvkeyFile": "/home/me/project/.steward/keys/owner.key", "namespace": "default"}
///   ]
/// }
/// ```
///
/// `steward server` adds its own context on start (``register(serverURL:dataDirectory:ownerKeyPath:)``)
/// and keeps the others. The single-server file of earlier versions (`server`, `prvkeyFile`,
/// `namespace` at the top) is still read, as one context that is current; the next write
/// stores it in this form. This type is pure: reading and writing the file is
/// `ClientConfiguration+File.swift`.
public struct ClientConfiguration: Sendable, Equatable {
    /// One server the CLI can talk to.
    public struct Context: Sendable, Equatable {
        /// The name that `steward config use-context` takes. A server names its own context
        /// after its data directory (``ClientConfiguration/contextName(dataDirectory:)``).
        public var name: String
        /// The server's URL.
        public var server: String
        /// The file holding the private key (hex) the CLI signs with; nil: none.
        public var prvkeyFile: String?
        /// The namespace to work in; nil: `default`.
        public var namespace: String?

        public init(name: String, server: String, prvkeyFile: String? = nil, namespace: String? = nil) {
            self.name = name
            self.server = server
            self.prvkeyFile = prvkeyFile
            self.namespace = namespace
        }
    }

    /// The name of the context the CLI uses; nil: none (the CLI's defaults apply).
    public var currentContext: String?
    /// The contexts, in the order they were added.
    public var contexts: [Context]

    public init(currentContext: String? = nil, contexts: [Context] = []) {
        self.currentContext = currentContext
        self.contexts = contexts
    }

    /// The name a server gives its own context: its data directory, as an absolute path. A
    /// data directory belongs to one server at a time, so two servers never share a context,
    /// and a server that comes back on another port updates its context instead of adding one.
    public static func contextName(dataDirectory: String) -> String {
        dataDirectory
    }

    /// The context named `name`, or nil.
    public func context(named name: String) -> Context? {
        contexts.first { $0.name == name }
    }

    /// The context that ``currentContext`` names, or nil when it is not set.
    /// - Throws: ``StewardError`` `invalid_input` when it names a context that does not exist.
    public func current() throws(StewardError) -> Context? {
        guard let currentContext else { return nil }
        guard let context = context(named: currentContext) else {
            throw .invalidInput(
                "the current context '\(currentContext)' is not one of the contexts (\(namesList)); choose one with: steward config use-context NAME",
                field: "currentContext")
        }
        return context
    }

    /// Adds `context`, or replaces the one of the same name in place.
    public mutating func setContext(_ context: Context) {
        if let index = contexts.firstIndex(where: { $0.name == context.name }) {
            contexts[index] = context
        } else {
            contexts.append(context)
        }
    }

    /// Makes `name` the current context.
    /// - Throws: ``StewardError`` `not_found` naming the contexts there are.
    public mutating func useContext(_ name: String) throws(StewardError) {
        guard context(named: name) != nil else {
            throw .notFound(
                contexts.isEmpty
                    ? "there is no context '\(name)': the configuration has none yet (`steward server` adds its own when it starts)"
                    : "there is no context '\(name)'; the contexts are: \(namesList)")
        }
        currentContext = name
    }

    /// What ``register(serverURL:dataDirectory:ownerKeyPath:)`` did.
    public struct Registration: Sendable, Equatable {
        /// The server's context as it is now stored.
        public var context: Context
        /// Whether it is the current context.
        public var isCurrent: Bool
        /// The current context when it is another one.
        public var otherCurrent: String?
    }

    /// Adds or updates the context of the server whose data directory is `dataDirectory`,
    /// keeping every other context and the context's namespace.
    ///
    /// It becomes the current context when there is none (or the current one does not exist),
    /// or when the current context's server is `serverURL`: that address is now this server's,
    /// so the CLI would otherwise sign with a key it does not know. Otherwise the current
    /// context stays: starting a second server never moves the CLI away from the first.
    @discardableResult
    public mutating func register(serverURL: String, dataDirectory: String, ownerKeyPath: String) -> Registration {
        let name = Self.contextName(dataDirectory: dataDirectory)
        let existing = context(named: name)
        let context = Context(name: name, server: serverURL, prvkeyFile: ownerKeyPath, namespace: existing?.namespace ?? "default")
        let current = currentContext.flatMap { self.context(named: $0) }
        setContext(context)
        if current == nil || current?.name == name || current?.server == serverURL {
            currentContext = name
            return Registration(context: context, isCurrent: true, otherCurrent: nil)
        }
        return Registration(context: context, isCurrent: false, otherCurrent: currentContext)
    }

    private var namesList: String {
        contexts.isEmpty ? "none" : contexts.map { "'\($0.name)'" }.joined(separator: ", ")
    }
}

extension ClientConfiguration {
    /// Reads a configuration in either form (see the type's documentation).
    /// - Throws: ``StewardError`` `invalid_input` naming the field that is wrong.
    public init(json: JSON) throws(StewardError) {
        let reader = try FieldReader(json)
        guard reader.value("contexts") != nil || reader.value("currentContext") != nil else {
            // The single-server file of earlier versions.
            guard let server = try reader.string("server") else {
                self.init()
                return
            }
            let prvkeyFile = try reader.string("prvkeyFile")
            let name = Self.legacyContextName(server: server, prvkeyFile: prvkeyFile)
            self.init(
                currentContext: name,
                contexts: [Context(name: name, server: server, prvkeyFile: prvkeyFile, namespace: try reader.string("namespace"))])
            return
        }
        var contexts: [Context] = []
        if let value = reader.value("contexts") {
            guard case .array(let items) = value else {
                throw .invalidInput("'contexts' must be an array, got \(value.typeName)", field: "contexts")
            }
            for (index, item) in items.enumerated() {
                let context = try FieldReader(item, path: "contexts[\(index)]")
                let name = try context.requiredString("name")
                guard !contexts.contains(where: { $0.name == name }) else {
                    throw .invalidInput(
                        "'contexts[\(index)].name' must be unique, got '\(name)' a second time", field: "contexts[\(index)].name")
                }
                contexts.append(
                    Context(
                        name: name, server: try context.requiredString("server"), prvkeyFile: try context.string("prvkeyFile"),
                        namespace: try context.string("namespace")))
            }
        }
        self.init(currentContext: try reader.string("currentContext"), contexts: contexts)
    }

    /// The configuration as stored: `currentContext` (when set) and `contexts`.
    public var json: JSON {
        var object = JSONObject()
        if let currentContext { object["currentContext"] = .string(currentContext) }
        object["contexts"] = .array(contexts.map(\.json))
        return .object(object)
    }

    /// The name of an earlier version's single context: the data directory of its key when the
    /// key is a server's `<home>/keys/owner.key` (the name that server now registers under),
    /// else the server's `host:port`.
    static func legacyContextName(server: String, prvkeyFile: String?) -> String {
        let suffix = "/keys/owner.key"
        if let prvkeyFile, prvkeyFile.hasSuffix(suffix), prvkeyFile.count > suffix.count {
            return contextName(dataDirectory: String(prvkeyFile.dropLast(suffix.count)))
        }
        var address = Substring(server)
        if let scheme = address.range(of: "://") { address = address[scheme.upperBound...] }
        if let slash = address.firstIndex(of: "/") { address = address[..<slash] }
        return address.isEmpty ? "default" : String(address)
    }
}

extension ClientConfiguration.Context {
    /// The context as stored.
    public var json: JSON {
        var object: JSONObject = ["name": .string(name), "server": .string(server)]
        if let prvkeyFile { object["prvkeyFile"] = .string(prvkeyFile) }
        if let namespace { object["namespace"] = .string(namespace) }
        return .object(object)
    }
}
