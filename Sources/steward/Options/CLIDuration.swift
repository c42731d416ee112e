import ArgumentParser

/// A duration option of the CLI, parsed once by argument-parser: a number followed by `ms`, `s`,
/// `m` or `h` (`500ms`, `5s`, `1.5s`, `2m`, `1h`), or a bare number of seconds (`30`).
///
/// A value must be more than zero. An option where zero means "none" (`--delay`) takes
/// ``CLIDuration/OrZero`` instead. A value that is not a duration is refused by argument-parser
/// before the command runs, with the option's name and its help text, which names the forms.
struct CLIDuration: ExpressibleByArgument, Hashable, Sendable, CustomStringConvertible {
    /// The duration.
    let duration: Duration
    /// The value as written on the command line, for help texts (`60s`, `500ms`).
    let description: String

    /// A duration given in code (an option's default); written as whole seconds (`60s`) or
    /// milliseconds (`500ms`) in help texts.
    init(_ duration: Duration) {
        precondition(duration > .zero, "a CLIDuration is more than zero; use CLIDuration.OrZero for zero")
        self.duration = duration
        self.description = Self.format(duration)
    }

    /// Parses `argument`; nil when it is not a duration of more than zero.
    init?(argument: String) {
        guard let duration = Self.parse(argument), duration > .zero else { return nil }
        self.duration = duration
        self.description = argument
    }

    var defaultValueDescription: String { description }

    /// A duration option that also takes zero (`0`, `0s`, `0ms`).
    struct OrZero: ExpressibleByArgument, Hashable, Sendable, CustomStringConvertible {
        /// The duration; zero or more.
        let duration: Duration
        /// The value as written on the command line.
        let description: String

        /// A duration given in code (an option's default).
        init(_ duration: Duration) {
            precondition(duration >= .zero, "a CLIDuration.OrZero is not negative")
            self.duration = duration
            self.description = CLIDuration.format(duration)
        }

        /// Parses `argument`; nil when it is not a duration of zero or more.
        init?(argument: String) {
            guard let duration = CLIDuration.parse(argument) else { return nil }
            self.duration = duration
            self.description = argument
        }

        var defaultValueDescription: String { description }
    }

    /// The longest duration accepted, in milliseconds: what an `Int64` of nanoseconds holds
    /// (about 292 years), so that no later conversion of the duration overflows.
    static let maximumMilliseconds = Double(Int64.max / 1_000_000)

    /// `text` as a duration of zero or more: a finite number, then `ms`, `s`, `m`, `h` or
    /// nothing (seconds). Nil for anything else, a negative number or more than
    /// ``maximumMilliseconds``.
    static func parse(_ text: String) -> Duration? {
        let units: [(suffix: String, milliseconds: Double)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)]
        let unit = units.first { text.hasSuffix($0.suffix) }
        guard let number = Double(text.dropLast(unit?.suffix.count ?? 0)), number.isFinite else { return nil }
        let milliseconds = number * (unit?.milliseconds ?? 1000)
        guard milliseconds >= 0, milliseconds <= maximumMilliseconds else { return nil }
        return .milliseconds(milliseconds)
    }

    /// `duration` as help texts show a default: whole seconds as `60s`, otherwise milliseconds.
    static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        if attoseconds == 0 { return "\(seconds)s" }
        let milliseconds = Double(seconds) * 1000 + Double(attoseconds) / 1e15
        return milliseconds.rounded() == milliseconds ? "\(Int64(milliseconds))ms" : "\(duration)"
    }
}
