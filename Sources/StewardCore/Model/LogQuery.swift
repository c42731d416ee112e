/// What to read of a service's instance logs: which instances, how much of each, and whether to
/// keep following them. The CLI's `steward service logs`, the client and the API's
/// `GET …/services/{name}/logs` share it, and its query-string form.
public struct LogQuery: Sendable, Hashable {
    /// An instance id (`web-1-0192a3b4c5d6`), a replica name (`web-1`: its current instance),
    /// or nil: the current instance of every replica.
    public var instance: String?
    /// The instance before the one selected (the one that ran before the current one).
    public var previous: Bool
    /// Only the last `tail` lines of each instance; nil: all of them.
    public var tail: Int?
    /// Only the lines written within this long before now; nil: all of them.
    public var since: Duration?
    /// Whether each line starts with the time it was written (RFC 3339, UTC, milliseconds).
    public var timestamps: Bool
    /// Whether to keep reading as the logs grow, until the reader stops.
    public var follow: Bool

    /// The largest `tail` accepted.
    public static let maxTail = 1_000_000

    public init(
        instance: String? = nil, previous: Bool = false, tail: Int? = nil, since: Duration? = nil,
        timestamps: Bool = false, follow: Bool = false
    ) {
        self.instance = instance
        self.previous = previous
        self.tail = tail
        self.since = since
        self.timestamps = timestamps
        self.follow = follow
    }

    /// The query items of the API's logs endpoint: only those that differ from the defaults
    /// (`since` in milliseconds, such as `600000ms`).
    public var queryItems: [(String, String?)] {
        [
            ("instance", instance),
            ("previous", previous ? "true" : nil),
            ("tail", tail.map(String.init)),
            ("since", since.map(Self.format)),
            ("timestamps", timestamps ? "true" : nil),
            ("follow", follow ? "true" : nil),
        ]
    }

    /// Reads a query from the logs endpoint's parameters (`parameter(name)` gives a
    /// parameter's value, nil when it is absent; an empty value counts as absent).
    ///
    /// - Throws: ``StewardError`` `invalidInput` naming the parameter: `tail` must be a whole
    ///   number from 0 to 1,000,000, `since` a duration (`10m`, `30s`, `2h`, `500ms`), and the
    ///   booleans `true` or `false`.
    public init(parameter: (String) -> String?) throws(StewardError) {
        func value(_ name: String) -> String? {
            guard let text = parameter(name), !text.isEmpty else { return nil }
            return text
        }
        func flag(_ name: String) throws(StewardError) -> Bool {
            guard let text = value(name) else { return false }
            switch text {
            case "true": return true
            case "false": return false
            default: throw .invalidInput("'\(name)' must be true or false, got '\(text)'", field: name)
            }
        }
        self.init()
        instance = value("instance")
        previous = try flag("previous")
        timestamps = try flag("timestamps")
        follow = try flag("follow")
        if let text = value("tail") {
            guard text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }), text.utf8.count <= 7,
                let number = Int(text), number <= Self.maxTail
            else {
                throw .invalidInput("'tail' must be a whole number of lines from 0 to 1000000, got '\(text)'", field: "tail")
            }
            tail = number
        }
        if let text = value("since") {
            guard let duration = Self.parseDuration(text) else {
                throw .invalidInput(
                    "'since' must be a duration such as 10m, 30s, 2h or 500ms, got '\(text)'", field: "since")
            }
            since = duration
        }
    }

    /// The longest duration accepted, in milliseconds (what an `Int64` of nanoseconds holds).
    static let maxDurationMilliseconds = Double(Int64.max / 1_000_000)

    /// `text` as a duration of zero or more: a number followed by `ms`, `s`, `m` or `h`
    /// (`10m`, `1.5h`, `30s`, `500ms`). Nil for anything else.
    public static func parseDuration(_ text: String) -> Duration? {
        let units: [(suffix: String, milliseconds: Double)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)]
        guard let unit = units.first(where: { text.hasSuffix($0.suffix) }) else { return nil }
        let number = text.dropLast(unit.suffix.count)
        // Digits with at most one point: no signs, exponents, "inf" or "nan".
        guard !number.isEmpty, number.filter({ $0 == "." }).count <= 1,
            number.allSatisfy({ $0 == "." || ("0"..."9").contains($0) }), let value = Double(number)
        else { return nil }
        let milliseconds = value * unit.milliseconds
        guard milliseconds <= maxDurationMilliseconds else { return nil }
        return .milliseconds(milliseconds)
    }

    /// `duration` in whole milliseconds, rounded up (`600000ms`), as the API reads it.
    public static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        if overflow { return seconds < 0 ? "0ms" : "\(Int64.max / 1_000_000)ms" }
        let milliseconds = whole.addingReportingOverflow((attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
        return milliseconds.overflow ? "\(Int64.max / 1_000_000)ms" : "\(max(0, milliseconds.partialValue))ms"
    }
}
