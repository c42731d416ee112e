/// A compiled JSON Schema (draft 2020-12 or draft-07): compile once, validate many instances.
///
/// ```swift
/// let validator = try SchemaValidator(schema)
/// let spec = validator.applyingDefaults(to: instance)
/// for error in validator.validate(spec) { print(error.message) }
/// // required field 'image' is missing
/// ```
///
/// Compiling checks the schema itself: a keyword of the wrong type, a pattern that is not a
/// regular expression, a `$ref` that leads nowhere or loops on itself is a ``SchemaError``.
/// A validator is immutable and can be shared across threads.
public struct SchemaValidator: Sendable {
    /// How a schema is compiled and how failures are reported.
    public struct Options: Sendable {
        /// Treat `format` as an assertion (unknown formats still pass). Off by default, as the
        /// specification says: `format` is then an annotation only.
        public var formatAssertion: Bool = false
        /// The most errors ``SchemaValidator/validate(_:)`` reports.
        public var maxErrors: Int = 100
        /// Documents that `$ref` and `$schema` may name by URI.
        public var registry: SchemaRegistry = .init()
        /// The dialect of a schema without `$schema`.
        public var defaultDialect: Dialect = .draft2020_12
        /// Compile patterns known to take exponential time (``ECMARegex/backtracksExponentially``)
        /// instead of refusing them; their matches can then be undecided, which validation
        /// reports as an error. Off by default; for schemas stored before such patterns were
        /// refused.
        public var allowsExponentialPatterns: Bool = false

        public init(formatAssertion: Bool = false, maxErrors: Int = 100, registry: SchemaRegistry = .init(),
                    defaultDialect: Dialect = .draft2020_12, allowsExponentialPatterns: Bool = false) {
            self.formatAssertion = formatAssertion
            self.maxErrors = maxErrors
            self.registry = registry
            self.defaultDialect = defaultDialect
            self.allowsExponentialPatterns = allowsExponentialPatterns
        }
    }

    private let compiled: CompiledSchema
    /// The options the validator was compiled with.
    public let options: Options

    /// Compiles `schema`.
    ///
    /// - Throws: ``SchemaError`` when the schema is not valid; its `path` points at the keyword.
    public init(_ schema: JSON, options: Options = .init()) throws(SchemaError) {
        let compiler = SchemaCompiler(registry: options.registry, defaultDialect: options.defaultDialect,
                                      formatAssertion: options.formatAssertion,
                                      allowsExponentialPatterns: options.allowsExponentialPatterns)
        self.compiled = try compiler.compile(schema)
        self.options = options
    }

    /// Whether `instance` is valid. Stops at the first failure and builds no messages: use it
    /// when only the verdict matters.
    ///
    /// An instance on which a `pattern` or `patternProperties` regex cannot be decided within
    /// the matcher's budget is never valid (``validate(_:)`` names the pattern and the field).
    public func isValid(_ instance: JSON) -> Bool {
        var ctx = ValidationContext(collecting: false, maxErrors: 1, tracksDynamicScope: compiled.tracksDynamicScope)
        let valid = compiled.root.validate(instance, &ctx, nil)
        guard ctx.needsLargeStack else { return valid && ctx.undecided == nil }
        return LargeStack.run {
            var deep = ValidationContext(collecting: false, maxErrors: 1, tracksDynamicScope: compiled.tracksDynamicScope,
                                         largeStack: true)
            return compiled.root.validate(instance, &deep, nil) && deep.undecided == nil
        }
    }

    /// Every failure of `instance`, up to ``Options/maxErrors``, in schema order; empty when
    /// the instance is valid.
    ///
    /// A regex that cannot be decided within the matcher's budget is reported as its own
    /// error (`pattern '...' is too expensive to evaluate on field '...'`), never as a match or a
    /// mismatch; it is always among the errors, even where an applicator (`not`, `anyOf`, ...)
    /// evaluated it.
    public func validate(_ instance: JSON) -> [ValidationError] {
        var ctx = ValidationContext(collecting: true, maxErrors: options.maxErrors, tracksDynamicScope: compiled.tracksDynamicScope)
        _ = compiled.root.validate(instance, &ctx, nil)
        guard ctx.needsLargeStack else { return Self.errors(of: ctx) }
        return LargeStack.run {
            var deep = ValidationContext(collecting: true, maxErrors: options.maxErrors,
                                         tracksDynamicScope: compiled.tracksDynamicScope, largeStack: true)
            _ = compiled.root.validate(instance, &deep, nil)
            return Self.errors(of: deep)
        }
    }

    /// The errors of a run, with its undecided pattern among them.
    private static func errors(of ctx: ValidationContext) -> [ValidationError] {
        guard let undecided = ctx.undecided, !ctx.errors.contains(undecided) else { return ctx.errors }
        return ctx.errors + [undecided]
    }

    /// Checks that every `default` of the schema satisfies the schema it is written in (with
    /// its own nested defaults filled in), so that an instance omitting the member does not fail
    /// on a value its author never wrote. Compiling does not check this, as the specification
    /// lets `default` be any value; the control plane calls it when a definition is stored.
    ///
    /// - Throws: ``SchemaError`` with code ``SchemaError/Code/invalidDefault`` and the pointer
    ///   of the first such `default` (`/properties/port/default`), naming the rule it breaks.
    public func checkDefaults() throws(SchemaError) {
        if let violation = DefaultsCheck(compiled: compiled).firstViolation() { throw violation }
    }

    /// `instance` with every missing property that has a `default` filled in, recursively.
    /// The exact rules are in `docs/json-schema.md` ("Defaults"). Call it before
    /// ``validate(_:)`` so that defaults count for `required`.
    public func applyingDefaults(to instance: JSON) -> JSON {
        var result = instance
        var applier = DefaultsApplier(depthLimit: DefaultsApplier.shallowDepthLimit)
        applier.apply(compiled.root, to: &result, depth: 0)
        guard applier.needsLargeStack else { return result }
        return LargeStack.run {
            var result = instance
            var deep = DefaultsApplier(depthLimit: DefaultsApplier.maxDepth)
            deep.apply(compiled.root, to: &result, depth: 0)
            return result
        }
    }
}
