/// A box-drawn table in the style of the ColonyOS CLI:
///
/// ```
/// ╭──────────────────────────────╮
/// │ Services                     │
/// ├──────────────┬───────────────┤
/// │ NAME         │ KIND          │
/// ├──────────────┼───────────────┤
/// │ web          │ Deployment    │
/// ╰──────────────┴───────────────╯
/// ```
///
/// A table has a title row, an optional header row and any number of rows. Key-value tables
/// (``Table/keyValue(title:_:)``) have no header. Cells wider than the column limit are cut
/// and end in `...`; the limit comes from ``TableStyle``.
struct Table: Sendable {
    /// The text of the title row.
    var title: String
    /// The column headers; empty for a table without a header row.
    var headers: [String]
    /// The rows, each with one cell per column.
    var rows: [[String]]

    init(title: String, headers: [String], rows: [[String]]) {
        self.title = title
        self.headers = headers
        self.rows = rows
    }

    /// A two-column table of labels and values, without a header row.
    static func keyValue(title: String, _ pairs: [(String, String)]) -> Table {
        Table(title: title, headers: [], rows: pairs.map { [$0.0, $0.1] })
    }

    /// The number of columns: the widest of the header and the rows.
    var columnCount: Int {
        max(headers.count, rows.map(\.count).max() ?? 0, 1)
    }

    /// Renders the table, lines separated by `\n`, with a trailing newline.
    func render(style: TableStyle = .plain) -> String {
        let columns = columnCount
        let clean: ([String]) -> [String] = { cells in
            (0..<columns).map { index in
                let cell = index < cells.count ? cells[index] : ""
                return Self.flatten(cell)
            }
        }
        let header = headers.isEmpty ? nil : clean(headers)
        var body = rows.map(clean)

        // Column limits: the widest cell, capped by the per-cell maximum, then shrunk to fit
        // the total width when one is given.
        var widths = (0..<columns).map { index -> Int in
            var width = header.map { Self.width($0[index]) } ?? 0
            for row in body { width = max(width, Self.width(row[index])) }
            return min(max(width, 1), style.maxCellWidth)
        }
        if let total = style.maxTotalWidth {
            Self.shrink(&widths, toFit: total)
        }
        body = body.map { row in row.enumerated().map { Self.truncate($0.element, to: widths[$0.offset]) } }
        let headerCells = header.map { row in row.enumerated().map { Self.truncate($0.element, to: widths[$0.offset]) } }

        // The title must fit inside the box: widen the last column if it does not.
        var titleText = Self.flatten(title)
        let inner = widths.reduce(0, +) + 3 * (columns - 1) + 2
        let titleWidth = Self.width(titleText) + 2
        if titleWidth > inner {
            if let total = style.maxTotalWidth, titleWidth + 2 > total {
                titleText = Self.truncate(titleText, to: max(inner - 2, 1))
            } else {
                widths[columns - 1] += titleWidth - inner
            }
        }
        let innerWidth = widths.reduce(0, +) + 3 * (columns - 1) + 2

        var lines: [String] = []
        lines.append("╭" + String(repeating: "─", count: innerWidth) + "╮")
        lines.append("│ " + Self.pad(style.emphasize(titleText), visible: Self.width(titleText), to: innerWidth - 2) + " │")
        lines.append(Self.rule(left: "├", middle: "┬", right: "┤", widths: widths))
        if let headerCells {
            lines.append(Self.line(headerCells.map { style.emphasize($0) }, visible: headerCells, widths: widths))
            if !body.isEmpty {
                lines.append(Self.rule(left: "├", middle: "┼", right: "┤", widths: widths))
            }
        }
        for row in body {
            lines.append(Self.line(row, visible: row, widths: widths))
        }
        lines.append(Self.rule(left: "╰", middle: "┴", right: "╯", widths: widths))
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: - Layout helpers

    private static func rule(left: String, middle: String, right: String, widths: [Int]) -> String {
        left + widths.map { String(repeating: "─", count: $0 + 2) }.joined(separator: middle) + right
    }

    private static func line(_ cells: [String], visible: [String], widths: [Int]) -> String {
        "│ " + cells.indices.map { pad(cells[$0], visible: width(visible[$0]), to: widths[$0]) }.joined(separator: " │ ") + " │"
    }

    private static func pad(_ text: String, visible: Int, to width: Int) -> String {
        visible >= width ? text : text + String(repeating: " ", count: width - visible)
    }

    /// Replaces line breaks and tabs, which would break the box, by spaces.
    static func flatten(_ text: String) -> String {
        guard text.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\t" }) else { return text }
        return String(text.map { $0 == "\n" || $0 == "\r" || $0 == "\t" ? " " : $0 })
    }

    /// The display width of a string, counting one column per character.
    static func width(_ text: String) -> Int { text.count }

    /// Cuts `text` to `width` columns, ending in `...` when it was cut.
    static func truncate(_ text: String, to width: Int) -> String {
        guard text.count > width else { return text }
        guard width > 3 else { return String(text.prefix(width)) }
        return String(text.prefix(width - 3)) + "..."
    }

    /// Narrows the widest columns until the whole table fits `total` columns of the terminal.
    private static func shrink(_ widths: inout [Int], toFit total: Int) {
        let overhead = 3 * widths.count + 1
        let minimum = 6
        while widths.reduce(0, +) + overhead > total {
            guard let index = widths.indices.max(by: { widths[$0] < widths[$1] }), widths[index] > minimum else { return }
            widths[index] -= 1
        }
    }
}
