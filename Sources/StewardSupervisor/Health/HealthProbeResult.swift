/// The outcome of one health check.
public struct HealthProbeResult: Sendable, Hashable, CustomStringConvertible {
    /// The check passed.
    public var passed: Bool
    /// What happened, for the instance's status: `exit 0`, `exit 1: <first line of output>`,
    /// `HTTP 200`, `HTTP 503`, `connection refused on 127.0.0.1:8080`, `timed out after 1s`.
    public var message: String

    public init(passed: Bool, message: String) {
        self.passed = passed
        self.message = message
    }

    public var description: String { (passed ? "passed: " : "failed: ") + message }
}
