import StewardCore

/// What removing a service did: the service as the server returned it, and whether it is gone
/// or only marked deleting until its reconciler handles the `delete` process.
public struct ServiceRemoval: Sendable, Equatable {
    /// The service as it was removed, or as it now is while deleting.
    public var service: Service
    /// True when the service is gone; false when it is marked deleting.
    public var removed: Bool

    public init(service: Service, removed: Bool) {
        self.service = service
        self.removed = removed
    }
}
