import JSONSchema

/// The rule that folds a new change of a service into its still-waiting process, so that a burst
/// of changes becomes one process.
///
/// The merged process keeps the oldest `old` (what the reconciler last saw) and takes the newest
/// `new`. Its action:
///
/// | waiting \ incoming | update | resync | delete |
/// | --- | --- | --- | --- |
/// | create | create | create | drop both when never assigned, else delete |
/// | update | update | update | delete |
/// | resync | update | resync | delete |
/// | delete | delete | delete | delete |
///
/// "Drop both": a create that no executor ever received followed by a delete means nothing was
/// ever built, so the service is removed at once and no process is delivered.
public enum PendingMerge {
    /// The outcome of a merge.
    public enum Outcome: Sendable, Equatable {
        /// Rewrite the waiting process to this reconciliation.
        case merged(Reconciliation)
        /// Remove the waiting process; the service can be deleted without a reconciler.
        case dropBoth
    }

    /// Merges `incoming` into `waiting`. `everAssigned` tells whether an executor has received
    /// the waiting process (it came back after a failure or a lost lease).
    public static func merge(waiting: Reconciliation, incoming: Reconciliation, everAssigned: Bool) -> Outcome {
        switch (waiting.action, incoming.action) {
        case (.create, .delete):
            if !everAssigned { return .dropBoth }
            return .merged(Reconciliation(action: .delete, old: incoming.old ?? waiting.new, new: nil))
        case (.create, _):
            return .merged(Reconciliation(action: .create, old: nil, new: incoming.new))
        case (.delete, _):
            return .merged(Reconciliation(action: .delete, old: waiting.old, new: nil))
        case (_, .delete):
            return .merged(Reconciliation(action: .delete, old: waiting.old ?? incoming.old, new: nil))
        case (.update, _), (.resync, .update):
            return .merged(Reconciliation(action: .update, old: waiting.old, new: incoming.new))
        case (.resync, _):
            return .merged(Reconciliation(action: .resync, old: waiting.old, new: incoming.new))
        }
    }
}

/// What a process carries for the reconciler: the action and the service before and after.
public struct Reconciliation: Sendable, Equatable {
    public var action: ReconciliationAction
    /// The service as the reconciler last saw it; nil for `create`.
    public var old: JSON?
    /// The desired service; nil for `delete`.
    public var new: JSON?

    public init(action: ReconciliationAction, old: JSON?, new: JSON?) {
        self.action = action
        self.old = old
        self.new = new
    }

    /// `{"action", "old", "new"}` (null for a missing side).
    public var json: JSON {
        .object(["action": .string(action.rawValue), "old": old ?? .null, "new": new ?? .null])
    }

    public init(json: JSON, path: String = "reconciliation") throws(StewardError) {
        let r = try FieldReader(json, path: path)
        let text = try r.requiredString("action")
        guard let action = ReconciliationAction(rawValue: text) else {
            throw .invalidInput(
                "'\(r.fieldPath("action"))' must be create, update, delete or resync, got '\(text)'",
                field: r.fieldPath("action"))
        }
        self.action = action
        self.old = r.value("old")
        self.new = r.value("new")
    }
}
