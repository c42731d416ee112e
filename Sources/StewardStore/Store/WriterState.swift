import StewardCore

/// Caches owned by the writer thread: the definitions by namespace and kind, read on every
/// service write. Only the writer thread touches it, so it needs no lock.
final class WriterState: @unchecked Sendable {
    private struct Key: Hashable {
        let namespace: String
        let kind: String
    }

    /// nil value: known to be absent.
    private var definitions: [Key: ServiceDefinition?] = [:]

    func cachedDefinition(namespace: String, kind: String) -> ServiceDefinition?? {
        definitions[Key(namespace: namespace, kind: kind)]
    }

    func setDefinition(_ definition: ServiceDefinition?, namespace: String, kind: String) {
        definitions[Key(namespace: namespace, kind: kind)] = .some(definition)
    }

    func removeDefinition(namespace: String, kind: String) {
        definitions[Key(namespace: namespace, kind: kind)] = nil
    }

    /// Forgets everything (after a failed commit).
    func invalidate() {
        definitions.removeAll()
    }
}
