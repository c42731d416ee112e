import StewardCore

extension ServerConfiguration {
    /// Adds or updates this server's context (named after its data directory) in the client
    /// configuration at `path`, keeping the other servers' contexts, and returns the line that
    /// `steward server` prints about it: the path, the context, and how to switch to it when
    /// another context stays current.
    func registerClientContext(serverURL: String, at path: String) throws(StewardError) -> String {
        let registration = try ClientConfiguration.update(at: path) { configuration in
            configuration.register(serverURL: serverURL, dataDirectory: absoluteHome, ownerKeyPath: ownerKeyPath)
        }
        let name = registration.context.name
        if registration.isCurrent {
            return "Client configuration: \(path) (context \(name), current)"
        }
        return "Client configuration: \(path) (context \(name); the current context is \(registration.otherCurrent ?? "another"), switch with: steward config use-context \(name))"
    }
}
