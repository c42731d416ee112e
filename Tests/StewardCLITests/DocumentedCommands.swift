import Foundation

/// The shell commands of a Markdown document's code blocks, read from the file so that tests
/// run what the documentation says, as it says it.
struct DocumentedCommands {
    /// One command line of a code block.
    struct Line: CustomStringConvertible {
        /// The command without its trailing `# comment` and `&`.
        var command: String
        /// Whether the line ends in `&` (runs in the background).
        var background: Bool

        var description: String { command + (background ? " &" : "") }
    }

    let text: String

    /// Reads `relativePath` from the package root.
    init(_ relativePath: String) throws {
        text = try String(contentsOf: TestServer.packageRoot.appendingPathComponent(relativePath), encoding: .utf8)
    }

    /// The text from the heading `heading` (such as `## Quick start`) up to the next heading of
    /// the same or a higher level; empty when there is no such heading.
    func section(_ heading: String) -> String {
        let level = heading.prefix { $0 == "#" }.count
        var lines: [Substring] = []
        var inside = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == heading {
                inside = true
            } else if inside, line.hasPrefix("#"), line.prefix(while: { $0 == "#" }).count <= level,
                      line.dropFirst(line.prefix(while: { $0 == "#" }).count).hasPrefix(" ") {
                break
            }
            if inside { lines.append(line) }
        }
        return lines.joined(separator: "\n")
    }

    /// The non-empty lines of the fenced code blocks in `markdown`, comments removed.
    static func lines(in markdown: String) -> [Line] {
        var result: [Line] = []
        var inBlock = false
        for raw in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if raw.hasPrefix("```") {
                inBlock.toggle()
                continue
            }
            guard inBlock else { continue }
            var line = String(raw)
            if let comment = line.range(of: #"\s+#\s.*$"#, options: .regularExpression) { line.removeSubrange(comment) }
            line = line.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            let background = line.hasSuffix("&")
            if background { line = String(line.dropLast()).trimmingCharacters(in: .whitespaces) }
            result.append(Line(command: line, background: background))
        }
        return result
    }

    /// The file arguments (words ending in `.json`, `.jsonl` or `.yaml`) of `lines`.
    static func files(in lines: [Line]) -> [String] {
        lines.flatMap { line in
            line.command.split(separator: " ").map(String.init).filter {
                $0.hasSuffix(".json") || $0.hasSuffix(".jsonl") || $0.hasSuffix(".yaml")
            }
        }
    }
}
