import JSONSchema
import StewardCore

extension StewardClient {
    /// Waits until the reconciler has handled `generation` of service `name` (its
    /// `observedGeneration` reaches it with a `Ready=True` condition), following the watch from
    /// `revision` (the revision of the write). Throws the reconciler's error when it fails, and
    /// `unavailable` after `timeout`. `progress` receives a line whenever something changes.
    public func waitForReconciliation(
        of name: String, generation: Int, after revision: Int64, timeout: Duration, namespace: String? = nil,
        progress: @escaping @Sendable (String) -> Void = { _ in }
    ) async throws(StewardError) {
        let current = try await serviceDocument(name: name, namespace: namespace)
        switch ReconciliationProgress.evaluate(current, generation: generation, fresh: false) {
        case .done: return
        case .failed(let message): throw StewardError(.conflict, message)
        case .pending(let text): progress(text)
        }
        try await followService(name, after: revision, timeout: timeout, namespace: namespace, waitingFor: "reconciled") {
            event throws(StewardError) in
            if event.type == .deleted {
                throw StewardError(.notFound, "service '\(name)' was removed while waiting for its reconciliation")
            }
            switch ReconciliationProgress.evaluate(event.object, generation: generation, fresh: true) {
            case .done: return true
            case .failed(let message): throw StewardError(.conflict, "the reconciler failed: \(message)")
            case .pending(let text):
                progress(text)
                return false
            }
        }
    }

    /// Waits until service `name` is gone (its reconciler closed the `delete` process), following
    /// the watch from `revision`.
    public func waitForRemoval(
        of name: String, after revision: Int64, timeout: Duration, namespace: String? = nil,
        progress: @escaping @Sendable (String) -> Void = { _ in }
    ) async throws(StewardError) {
        do {
            _ = try await serviceDocument(name: name, namespace: namespace)
        } catch where error.code == .notFound {
            return
        }
        try await followService(name, after: revision, timeout: timeout, namespace: namespace, waitingFor: "removed") {
            event throws(StewardError) in
            if event.type == .deleted { return true }
            if let reconciled = ServiceConditions.condition(
                ServiceConditions.reconciled, in: event.object["status"] ?? .null),
                reconciled["status"]?.stringValue == "False"
            {
                progress("delete failed, retrying: \(reconciled["message"]?.stringValue ?? "")")
            }
            return false
        }
    }

    /// Follows the watch of the namespace for events of service `name` until `isDone` says so.
    private func followService(
        _ name: String, after revision: Int64, timeout: Duration, namespace: String?, waitingFor what: String,
        isDone: @escaping @Sendable (WatchEvent) throws(StewardError) -> Bool
    ) async throws(StewardError) {
        let result: Result<Void, StewardError> = await withTaskGroup(of: Result<Void, StewardError>?.self) { group in
            group.addTask {
                var from = revision
                while !Task.isCancelled {
                    do {
                        for try await event in try await self.watch(from: from, namespace: namespace) {
                            from = event.revision
                            guard event.objectType == .service, event.name == name else { continue }
                            if try isDone(event) { return .success(()) }
                        }
                    } catch let error as StewardError where error.code != .unavailable {
                        return .failure(error)
                    } catch {
                        try? await Task.sleep(for: .milliseconds(500))
                    }
                }
                return nil
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return Task.isCancelled
                    ? nil
                    : .failure(
                        StewardError(
                            .unavailable,
                            "service '\(name)' was not \(what) within \(Self.describe(timeout)); see `steward process ls --service \(name)`"
                        ))
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? .failure(StewardError(.unavailable, "the wait was cancelled"))
        }
        try result.get()
    }

    static func describe(_ duration: Duration) -> String {
        let ms = duration.milliseconds
        return ms % 1000 == 0 ? "\(ms / 1000)s" : "\(Double(ms) / 1000)s"
    }
}
