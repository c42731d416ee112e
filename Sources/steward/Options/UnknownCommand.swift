import ArgumentParser

/// A word on the command line where a subcommand is expected that names none, such as
/// `frobnicate` in `steward frobnicate`: reported with the commands there are (and the closest
/// one) instead of the parser's bare usage.
struct UnknownCommand: Error, CustomStringConvertible, Equatable {
    /// The word as typed.
    var word: String
    /// The command it follows, such as `steward service`.
    var parent: String
    /// The subcommands of `parent`.
    var commands: [String]

    /// The first word of `arguments` (without the program name) that stands where a
    /// subcommand of `root` or of one of its subcommands is expected and names none; nil when
    /// there is none. Walking stops at the first flag and at a command without subcommands,
    /// whose arguments are its own; `help` is the parser's own command.
    static func find(in arguments: [String], root: any ParsableCommand.Type) -> UnknownCommand? {
        var command = root
        var path = [root._commandName]
        for word in arguments {
            let subcommands = command.configuration.subcommands
            guard !subcommands.isEmpty, !word.hasPrefix("-"), word != "help" else { return nil }
            guard let next = subcommands.first(where: { $0._commandName == word || $0.configuration.aliases.contains(word) }) else {
                return UnknownCommand(word: word, parent: path.joined(separator: " "), commands: subcommands.map { $0._commandName })
            }
            command = next
            path.append(word)
        }
        return nil
    }

    /// The command whose name is closest to ``word`` (at most two edits, or a prefix), if any.
    var suggestion: String? {
        let scored = commands.map { ($0, Self.distance($0, word)) }.filter { $0.1 <= 2 || $0.0.hasPrefix(word) }
        return scored.min { $0.1 < $1.1 }?.0
    }

    var description: String {
        let guess = suggestion.map { " (did you mean '\($0)'?)" } ?? ""
        return "unknown command '\(word)' for '\(parent)'\(guess). Commands: \(commands.joined(separator: ", ")). See '\(parent) --help'."
    }

    /// The Levenshtein distance between `a` and `b`.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
