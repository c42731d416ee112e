import Foundation
import Testing

@testable import steward

/// Duration options (`--timeout`, `--delay`, `--heartbeat`, `--lease-duration`, `--backoff-*`):
/// the forms they take, and the usage error for a value that is not one.
@Suite("Duration options")
struct DurationOptionTests {
    @Test(
        "a number with ms, s, m or h, or bare seconds, is a duration",
        arguments: [
            ("500ms", Duration.milliseconds(500)), ("5s", .seconds(5)), ("1.5s", .milliseconds(1500)), ("2m", .seconds(120)),
            ("1h", .seconds(3600)), ("30", .seconds(30)), ("0.25", .milliseconds(250)), ("1e3ms", .seconds(1)),
            ("0.5ms", .microseconds(500)),
        ])
    func accepted(text: String, expected: Duration) throws {
        let value = try #require(CLIDuration(argument: text))
        #expect(value.duration == expected)
        #expect(value.defaultValueDescription == text)
        #expect(CLIDuration.OrZero(argument: text)?.duration == expected)
    }

    @Test("zero is a value only where the option allows it", arguments: ["0", "0s", "0ms", "0m", "0.0h"])
    func zero(text: String) {
        #expect(CLIDuration(argument: text) == nil)
        #expect(CLIDuration.OrZero(argument: text)?.duration == .zero)
    }

    @Test(
        "anything else is refused",
        arguments: ["", "s", "ms", "abc", "5x", "5 s", "-1s", "-0.5", "nan", "infs", "inf", "1e30s", "5sec", "1d", "1h30m"])
    func refused(text: String) {
        #expect(CLIDuration(argument: text) == nil)
        #expect(CLIDuration.OrZero(argument: text) == nil)
    }

    @Test("defaults are shown in help as whole seconds or milliseconds")
    func defaults() {
        #expect(CLIDuration(.seconds(60)).defaultValueDescription == "60s")
        #expect(CLIDuration(.milliseconds(500)).defaultValueDescription == "500ms")
        #expect(CLIDuration.OrZero(.zero).defaultValueDescription == "0s")
    }

    /// A command with a bad duration value, the option it names, and the rule its help states.
    static let badValues: [(arguments: [String], option: String, rule: String)] = [
        (["service", "add", "--spec", "svc.json", "--wait", "--timeout", "soon"], "--timeout", "more than zero: 90s, 2m, 500ms"),
        (["service", "set", "--name", "a", "--key", "spec.x", "--value", "1", "--timeout", "0s"], "--timeout", "more than zero"),
        (["service", "remove", "--name", "a", "--timeout", "1d"], "--timeout", "more than zero: 90s, 2m, 500ms"),
        (["executor", "run", "--type", "t", "--name", "n", "--delay=-1s"], "--delay", "zero or more: 500ms, 2s, 1m"),
        (["executor", "run", "--type", "t", "--name", "n", "--heartbeat", "0"], "--heartbeat", "more than zero: 5s, 500ms"),
        (["server", "--lease-duration", "2 s"], "--lease-duration", "more than zero: 30s, 2m, 500ms"),
        (["server", "--backoff-initial", "fast"], "--backoff-initial", "More than zero: 100ms, 2s, 1m"),
        (["server", "--backoff-max", "0ms"], "--backoff-max", "more than zero: 5m, 30s, 1h"),
    ]

    @Test("a bad value is a usage error that names the option and the accepted forms", arguments: badValues)
    func badValue(arguments: [String], option: String, rule: String) throws {
        let value = arguments.last!.split(separator: "=", maxSplits: 1).last.map(String.init) ?? ""
        let result = try StewardBinary.run(arguments, directory: FileManager.default.temporaryDirectory, environment: [:])
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.hasPrefix("Error: The value '\(value)' is invalid for '\(option) <duration>'\n"), "\(result)")
        #expect(result.stderr.contains("Help:  \(option) <duration>  "), "\(result)")
        #expect(result.stderr.contains(rule), "\(result)")
    }

    @Test("a good value passes parsing: the command goes on to its own work")
    func goodValue() throws {
        let directory = FileManager.default.temporaryDirectory
        let key = "0000000000000000000000000000000000000000000000000000000000000001"
        for arguments in [
            ["service", "add", "--spec", "/nonexistent/svc.json", "--wait", "--timeout", "1.5s"],
            ["service", "add", "--spec", "/nonexistent/svc.json", "--wait", "--timeout", "90"],
        ] {
            let result = try StewardBinary.run(
                arguments + ["--prvkey", key, "--server", "http://127.0.0.1:1"], directory: directory,
                environment: ["HOME": "/nonexistent"])
            #expect(result.status == 1, "\(result)")
            #expect(!result.stderr.contains("is invalid for"), "\(result)")
        }
    }
}
