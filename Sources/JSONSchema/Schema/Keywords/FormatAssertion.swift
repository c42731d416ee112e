/// `format` as an assertion (when ``SchemaValidator/Options/formatAssertion`` is on or the
/// meta-schema asks for the format-assertion vocabulary). Unknown formats pass, as the
/// specification requires.
final class FormatAssertion: Sendable {
    let name: String

    init(name: String) { self.name = name }

    @inline(__always)
    func accepts(_ value: JSON) -> Bool {
        guard case .string(let s) = value else { return true }
        return FormatChecker.isValid(s, format: name) ?? true
    }
}
