/// Finds `default`s that contradict the schema they stand in: `{"type": "integer", "default":
/// "eighty"}`, `{"minimum": 1, "default": 0}`. Such a default makes every instance that omits
/// the member fail on a value its author never wrote.
///
/// Each `default` written in the schema document (not in registry documents) is filled with its
/// own nested defaults, as ``SchemaValidator/applyingDefaults(to:)`` would, and validated against
/// the schema it is written in; a `properties` entry whose default comes through `$ref` or
/// `allOf` is also validated against the entry's schema. The root's `default`, which is never
/// used, is checked too: it cannot be right either.
struct DefaultsCheck {
    let compiled: CompiledSchema

    /// The first contradicting default, in compilation order.
    func firstViolation() -> SchemaError? {
        let applier = DefaultsApplier(depthLimit: DefaultsApplier.shallowDepthLimit)
        for node in compiled.nodes where node.schemaPath.isEmpty || node.schemaPath.hasPrefix("/") {
            if let value = node.defaultValue, let error = problem(with: value, in: node) {
                return violation(value, at: JSONPointer.appending(node.schemaPath, "default"), error)
            }
            guard case .keywords = node.kind else { continue }
            for keyword in node.keywords {
                guard case .members(let members) = keyword else { continue }
                for entry in members.object.schemas.map(\.node) where entry.defaultValue == nil {
                    if let value = applier.effectiveDefault(entry), let error = problem(with: value, in: entry) {
                        return violation(value, at: entry.schemaPath, error)
                    }
                }
            }
        }
        return nil
    }

    private func violation(_ value: JSON, at path: String, _ error: ValidationError) -> SchemaError {
        SchemaError(
            code: .invalidDefault, path: path,
            message: "the default \(ErrorText.value(value)) does not satisfy its own schema: \(error.message) (at \(error.schemaPath))")
    }

    /// The first error of `value`, with its nested defaults filled in, against `node`; nil when
    /// it is valid (or too deep to tell on this thread).
    private func problem(with value: JSON, in node: SchemaNode) -> ValidationError? {
        var filled = value
        var applier = DefaultsApplier(depthLimit: DefaultsApplier.shallowDepthLimit)
        applier.apply(node, to: &filled, depth: 0)
        var ctx = ValidationContext(collecting: true, maxErrors: 1, tracksDynamicScope: compiled.tracksDynamicScope)
        _ = node.validate(filled, &ctx, nil)
        if ctx.needsLargeStack || applier.needsLargeStack { return nil }
        return ctx.errors.first ?? ctx.undecided
    }
}
