/// The bound of `minimum`, `maximum`, `exclusiveMinimum` or `exclusiveMaximum`, compared exactly
/// with any JSON number; integer instances against an integer bound take a direct path.
final class NumberLimit: Sendable {
    let value: JSON
    private let int: Int?

    init(_ value: JSON) {
        self.value = value
        if case .int(let i) = value { int = i } else { int = value.intValue }
    }

    /// The sign of `instance - bound`, or nil when `instance` is not a number.
    @inline(__always)
    func compare(_ instance: JSON) -> Int? {
        switch instance {
        case .int(let i):
            if let b = int { return i < b ? -1 : (i == b ? 0 : 1) }
            return JSONDecimal.compare(instance, value)
        case .double, .decimal:
            return JSONDecimal.compare(instance, value)
        default:
            return nil
        }
    }

    var text: String { ErrorText.value(value) }
}
