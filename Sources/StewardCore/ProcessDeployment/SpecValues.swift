import Glibc

/// Parsing of the `ProcessDeployment` spec's value forms: durations (`100ms`, `10s`, `5m`, `1h`),
/// memory sizes (`150Mi`, `1G`, or a number of bytes) and signal names (`TERM`, `SIGUSR1`).
public enum SpecValues {
    /// `text` as a duration: a number followed by `ms`, `s`, `m` or `h`; nil when it is not one.
    public static func duration(_ text: String) -> Duration? {
        let units: [(String, Double)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            let number = text.dropLast(suffix.count)
            // `5ms` ends with `s` too: the longer suffix is tried first.
            guard !number.isEmpty, number.allSatisfy({ $0.isNumber || $0 == "." }), let value = Double(number),
                value.isFinite, value >= 0
            else { continue }
            let milliseconds = value * factor
            guard milliseconds <= 1e12 else { return nil }
            return .milliseconds(Int64(milliseconds.rounded()))
        }
        return nil
    }

    /// The binary and decimal suffixes of a memory size.
    private static let memoryUnits: [(String, Double)] = [
        ("Ki", 1024), ("Mi", 1_048_576), ("Gi", 1_073_741_824), ("Ti", 1_099_511_627_776),
        ("k", 1000), ("K", 1000), ("M", 1_000_000), ("G", 1_000_000_000), ("T", 1_000_000_000_000),
    ]

    /// `text` as a number of bytes: digits with an optional fraction, then an optional suffix
    /// (`Ki`, `Mi`, `Gi`, `Ti`, or `k`/`K`, `M`, `G`, `T`); nil when it is not one.
    public static func memory(_ text: String) -> Int64? {
        var number = Substring(text)
        var factor = 1.0
        for (suffix, f) in memoryUnits where text.hasSuffix(suffix) {
            number = text.dropLast(suffix.count)
            factor = f
            break
        }
        guard !number.isEmpty, number.allSatisfy({ $0.isNumber || $0 == "." }), let value = Double(number) else { return nil }
        let bytes = value * factor
        guard bytes.isFinite, bytes >= 0, bytes < 9.0e18 else { return nil }
        return Int64(bytes.rounded())
    }

    /// The signals a spec may name, without the `SIG` prefix.
    public static let signals: [String: Int32] = [
        "HUP": SIGHUP, "INT": SIGINT, "QUIT": SIGQUIT, "KILL": SIGKILL, "USR1": SIGUSR1, "USR2": SIGUSR2,
        "TERM": SIGTERM, "ALRM": SIGALRM, "WINCH": SIGWINCH, "CONT": SIGCONT, "STOP": SIGSTOP, "TSTP": SIGTSTP,
        "PWR": SIGPWR,
    ]

    /// The number of the signal `name` (`TERM`, `SIGTERM`, `term`); nil when it is not one.
    public static func signal(_ name: String) -> Int32? {
        var upper = name.uppercased()
        if upper.hasPrefix("SIG") { upper.removeFirst(3) }
        return signals[upper]
    }

    /// The name of signal `number` (`TERM`), or its number as text.
    public static func signalName(_ number: Int32) -> String {
        signals.first { $0.value == number }?.key ?? String(number)
    }

    /// `bytes` in the largest binary unit that keeps it readable (`150Mi`, `1.5Gi`, `512`).
    public static func formatMemory(_ bytes: Int64) -> String {
        for (suffix, factor) in memoryUnits.prefix(4).reversed() where Double(bytes) >= factor {
            let value = Double(bytes) / factor
            let rounded = (value * 10).rounded() / 10
            return rounded == rounded.rounded() ? "\(Int(rounded))\(suffix)" : "\(rounded)\(suffix)"
        }
        return "\(bytes)"
    }
}
