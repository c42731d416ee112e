/// `format` as an assertion (when ``SchemaValidator/Options/formatAssertion`` is on or the
/// meta-schema asks for the format-assertion vocabulary). Unknown formats pass, as the
/// specification requires.
final class FormatAssertion: Sendable {
    let name: String
    /// The format's check, resolved when the schema is compiled; nil for an unknown format.
    private let check: (@Sendable (String) -> Bool)?

    init(name: String) {
        self.name = name
        self.check = FormatChecker.checker(for: name)
    }

    @inline(__always)
    func accepts(_ value: JSON) -> Bool {
        guard let check, case .string(let s) = value else { return true }
        return check(s)
    }
}
