import Foundation
import JSONSchema
import StewardCore
import StewardStore

/// Compiled schemas of definitions, so that a service write does not recompile its
/// definition's schema. Keyed by the definition's uid and generation: an updated definition
/// gets a new entry, and entries of old generations are dropped when a newer one is stored.
final class SchemaCache: @unchecked Sendable {
    private struct Entry {
        let generation: Int
        let validator: SchemaValidator
    }

    private let lock = NSLock()
    private var entries: [String: Entry] = [:]

    /// Compiles a schema, turning a compile error into a 400 that names the place in the schema.
    /// `admitting` is for a definition being added or updated: a pattern known to take
    /// exponential time and a `default` that fails its own subschema are refused too. A stored
    /// definition compiles without those checks, so that one stored before them keeps working.
    static func compile(_ schema: JSON, admitting: Bool = false) throws -> SchemaValidator {
        do {
            let validator = try SchemaValidator(schema, options: .init(allowsExponentialPatterns: !admitting))
            if admitting { try validator.checkDefaults() }
            return validator
        } catch {
            let pointer = error.path
            let field = pointer.isEmpty ? "spec.schema" : "spec.schema" + pointer.replacingOccurrences(of: "/", with: ".")
            throw StewardError.invalidInput("the definition's schema is invalid: \(error.description)", field: field)
        }
    }

    /// The compiled schema of `definition`, or nil when it has none.
    func validator(for definition: ServiceDefinition) throws -> SchemaValidator? {
        guard let schema = definition.spec.schema else { return nil }
        let uid = definition.metadata.uid
        lock.lock()
        if let entry = entries[uid], entry.generation == definition.metadata.generation {
            lock.unlock()
            return entry.validator
        }
        lock.unlock()
        let validator = try Self.compile(schema)
        lock.lock()
        if let entry = entries[uid], entry.generation > definition.metadata.generation {
            // A newer generation is cached; keep it.
        } else {
            entries[uid] = Entry(generation: definition.metadata.generation, validator: validator)
        }
        lock.unlock()
        return validator
    }

    /// Forgets the schema of a removed definition.
    func remove(uid: String) {
        lock.lock()
        entries[uid] = nil
        lock.unlock()
    }

    /// The admission of services: apply the definition's defaults to the spec, then validate it.
    /// Failures are 400 `service validation failed: <messages joined with '; '>`, with the
    /// first error's path as the field.
    func admission() -> ServiceAdmission {
        { [self] definition, service in try admit(service, of: definition, existing: nil) }
    }

    /// The admission of service updates: as ``admission()``, but errors on values the update
    /// leaves as stored are let stand (validation ratcheting, see
    /// ``SchemaValidator/validate(_:ratchetingFrom:)``): a schema tightened after a service was
    /// stored does not block changes to its other fields or labels.
    func updateAdmission() -> ServiceUpdateAdmission {
        { [self] definition, service, existing in try admit(service, of: definition, existing: existing) }
    }

    private func admit(_ service: Service, of definition: ServiceDefinition, existing: Service?) throws -> Service {
        guard let validator = try validator(for: definition) else { return service }
        var admitted = service
        admitted.spec = validator.applyingDefaults(to: service.spec)
        let errors: [ValidationError]
        if let existing {
            errors = validator.validate(admitted.spec, ratchetingFrom: validator.applyingDefaults(to: existing.spec))
        } else {
            errors = validator.validate(admitted.spec)
        }
        guard errors.isEmpty else {
            throw StewardError(
                .validationFailed,
                "service validation failed: " + errors.map(\.message).joined(separator: "; "),
                field: Self.specField(errors[0].instancePath))
        }
        // The built-in kind checks what its schema cannot say (a memory limit's size, ranges).
        if definition.kind == ProcessDeploymentDefinition.kind, definition.spec.group == ProcessDeploymentDefinition.group {
            _ = try ProcessDeploymentSpec(json: admitted.spec)
        }
        return admitted
    }

    /// The field of a spec error: `spec`, `spec.replicas`, `spec[\"a b\"]`.
    static func specField(_ instancePath: String) -> String {
        if instancePath.isEmpty { return "spec" }
        return instancePath.hasPrefix("[") ? "spec" + instancePath : "spec." + instancePath
    }
}
