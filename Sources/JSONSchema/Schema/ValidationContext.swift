/// The state of one validation run: whether errors are collected (or the run stops at the
/// first failure), the errors so far, the current instance path and the dynamic scope.
struct ValidationContext {
    /// False on the fast path and inside applicators whose branches may fail without the
    /// instance failing (`anyOf`, `oneOf`, `not`, `if`, `contains`).
    var collecting: Bool
    let maxErrors: Int
    var errors: [ValidationError] = []
    /// Maintained when the run collects errors (also inside applicators that stop collecting,
    /// so that an undecided pattern names its field); not on the fast path.
    var path = InstancePath()
    private let tracksPath: Bool
    /// The first pattern that could not be decided within the regex budget (see
    /// ``reportUndecided(pattern:keyword:schemaPath:field:)``); such a run has no verdict.
    var undecided: ValidationError?
    /// Whether the schema has `$dynamicRef`s that depend on the dynamic scope.
    let tracksDynamicScope: Bool
    /// Schema resources entered, outermost first (only when `tracksDynamicScope`).
    var dynamicScope: [SchemaResource] = []
    /// Nesting of schema evaluations.
    var depth = 0
    /// The deepest nesting allowed on this thread; zero once ``needsLargeStack`` is set, so
    /// that the abandoned run unwinds at once.
    var depthLimit: Int
    /// Whether this run is on a ``LargeStack`` thread.
    let onLargeStack: Bool
    /// Set when the nesting passed ``shallowDepthLimit`` on an ordinary thread: the run is
    /// abandoned and must be repeated with ``LargeStack``.
    var needsLargeStack = false

    /// Nesting allowed on any thread (a small stack suffices).
    static let shallowDepthLimit = 192
    /// Nesting allowed on a ``LargeStack`` thread; beyond it, validation fails with an error
    /// instead of recursing further (only a `$dynamicRef` loop or an instance deeper than
    /// the parser allows gets there).
    static let maxDepth = 4_000

    init(collecting: Bool, maxErrors: Int, tracksDynamicScope: Bool, largeStack: Bool = false) {
        self.collecting = collecting
        self.tracksPath = collecting
        self.maxErrors = max(1, maxErrors)
        self.tracksDynamicScope = tracksDynamicScope
        self.depthLimit = largeStack ? Self.maxDepth : Self.shallowDepthLimit
        self.onLargeStack = largeStack
    }

    var isFull: Bool { errors.count >= maxErrors }

    /// "field 'ports[2].port'" or, at the root, "value".
    var subject: String {
        path.isRoot ? "value" : "field '\(path.rendered)'"
    }

    mutating func report(_ keyword: String, _ schemaPath: String, _ message: String, instancePath: String? = nil) {
        guard errors.count < maxErrors else { return }
        errors.append(ValidationError(instancePath: instancePath ?? path.rendered, keyword: keyword,
                                      message: message, schemaPath: schemaPath))
    }

    /// Records that `pattern` could not be decided on the value at `field` (the current path when
    /// nil): the keyword fails, and the run as a whole is invalid with this error, whatever the
    /// applicators around it make of the failure (a `not` or `anyOf` must not turn it into a
    /// verdict).
    mutating func reportUndecided(pattern: String, keyword: String, schemaPath: String, field: String? = nil) {
        let instancePath = field ?? path.rendered
        let subject = instancePath.isEmpty ? "value" : "field '\(instancePath)'"
        let error = ValidationError(
            instancePath: instancePath, keyword: keyword,
            message: "pattern '\(pattern)' is too expensive to evaluate on \(subject) (it needs more than the regex budget of \(RegexBacktracker.stepBudget) steps); simplify the pattern",
            schemaPath: schemaPath)
        if undecided == nil { undecided = error }
        if collecting, errors.count < maxErrors, !errors.contains(error) { errors.append(error) }
    }

    @inline(__always)
    mutating func push(_ key: String) { if tracksPath { path.push(.key(key)) } }
    @inline(__always)
    mutating func push(_ index: Int) { if tracksPath { path.push(.index(index)) } }
    @inline(__always)
    mutating func pop() { if tracksPath { path.pop() } }
}
