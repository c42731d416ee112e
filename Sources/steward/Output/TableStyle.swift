/// How a ``Table`` is laid out on the current output: the widest a cell may be, the widest the
/// whole table may be, and whether titles and headers are emphasised with ANSI bold.
struct TableStyle: Sendable {
    /// The widest a cell may be before it is cut with `...`.
    var maxCellWidth: Int
    /// The widest the whole table may be (the terminal's width), or nil for no limit.
    var maxTotalWidth: Int?
    /// Whether to make titles and headers bold.
    var colour: Bool

    /// No colour, cells cut at 80 columns, no total width: for pipes and files.
    static let plain = TableStyle(maxCellWidth: 80, maxTotalWidth: nil, colour: false)

    /// The style for standard output: the terminal's width and bold text when it is a terminal,
    /// ``plain`` otherwise (also when `NO_COLOR` is set, colour is off).
    static var standardOutput: TableStyle {
        guard let columns = Terminal.standardOutputColumns else { return .plain }
        return TableStyle(maxCellWidth: 60, maxTotalWidth: columns, colour: Terminal.colourAllowed)
    }

    func emphasize(_ text: String) -> String {
        colour ? "\u{1B}[1m" + text + "\u{1B}[0m" : text
    }
}
