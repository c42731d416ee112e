extension SchemaValidator {
    /// The errors of `instance` that an update from `previous` must answer for, following
    /// Kubernetes' validation ratcheting: a schema that was tightened does not strand values
    /// that were stored before and are left as they were.
    ///
    /// An error of `instance` is **ratcheted** (left out) when both hold:
    /// - the value at its instance path is unchanged from `previous` (equal JSON, or absent in
    ///   both: for `required`, the path is the missing field's);
    /// - `previous` has the same error (same instance path and schema keyword) against this
    ///   schema, so the update did not introduce it.
    /// Every other error is returned, in the order of ``validate(_:)``. Pass both values with
    /// defaults applied. An error at the root (`""`) is ratcheted only when nothing changed.
    public func validate(_ instance: JSON, ratchetingFrom previous: JSON) -> [ValidationError] {
        let errors = validate(instance)
        guard !errors.isEmpty else { return errors }
        let earlier = Set(validate(previous).map { ErrorKey(instancePath: $0.instancePath, schemaPath: $0.schemaPath) })
        return errors.filter { error in
            guard earlier.contains(ErrorKey(instancePath: error.instancePath, schemaPath: error.schemaPath)),
                  let steps = InstancePath.parse(error.instancePath)
            else { return true }
            let now = InstancePath.value(at: steps, in: instance)
            let before = InstancePath.value(at: steps, in: previous)
            let unchanged: Bool
            switch (now, before) {
            case (nil, nil): unchanged = true
            case (let a?, let b?): unchanged = a == b
            default: unchanged = false
            }
            return !unchanged
        }
    }

    private struct ErrorKey: Hashable {
        let instancePath: String
        let schemaPath: String
    }
}
