import Testing

@testable import steward

/// The box-drawn tables, compared character for character with the seed's examples.
@Suite("Table rendering")
struct TableTests {
    @Test("a key-value table looks exactly like the seed's Deployment Status")
    func deploymentStatus() {
        let table = Table.keyValue(
            title: "Deployment Status",
            [("Running Instances", "3"), ("Total Instances", "3"), ("Last Updated", "2025-11-08T15:17:00Z")])
        #expect(table.render() == """
            ╭──────────────────────────────────────────╮
            │ Deployment Status                        │
            ├───────────────────┬──────────────────────┤
            │ Running Instances │ 3                    │
            │ Total Instances   │ 3                    │
            │ Last Updated      │ 2025-11-08T15:17:00Z │
            ╰───────────────────┴──────────────────────╯

            """)
    }

    @Test("a table with headers looks exactly like the seed's Instances table")
    func instances() {
        let table = Table(
            title: "Instances",
            headers: ["NAME", "ID", "TYPE", "STATE", "IMAGE", "LAST CHECK"],
            rows: [
                ["executor-a1b", "5884aa", "container", "running", "nginx...", "15:17:00"],
                ["executor-c2d", "d55e6c", "container", "running", "nginx...", "15:17:00"],
                ["executor-e3f", "2efcd9", "container", "running", "nginx...", "15:17:00"],
            ])
        #expect(table.render() == """
            ╭─────────────────────────────────────────────────────────────────────╮
            │ Instances                                                           │
            ├──────────────┬────────┬───────────┬─────────┬──────────┬────────────┤
            │ NAME         │ ID     │ TYPE      │ STATE   │ IMAGE    │ LAST CHECK │
            ├──────────────┼────────┼───────────┼─────────┼──────────┼────────────┤
            │ executor-a1b │ 5884aa │ container │ running │ nginx... │ 15:17:00   │
            │ executor-c2d │ d55e6c │ container │ running │ nginx... │ 15:17:00   │
            │ executor-e3f │ 2efcd9 │ container │ running │ nginx... │ 15:17:00   │
            ╰──────────────┴────────┴───────────┴─────────┴──────────┴────────────╯

            """)
    }

    @Test("a title wider than the columns widens the last column")
    func wideTitle() {
        let table = Table.keyValue(title: "A rather long title", [("a", "b")])
        #expect(table.render() == """
            ╭─────────────────────╮
            │ A rather long title │
            ├───┬─────────────────┤
            │ a │ b               │
            ╰───┴─────────────────╯

            """)
    }

    @Test("long cells are cut with ... at the cell limit, and tables shrink to the terminal width")
    func truncation() {
        let long = String(repeating: "x", count: 100)
        let plain = Table(title: "T", headers: ["K", "V"], rows: [["key", long]]).render()
        #expect(plain.contains("│ key │ " + String(repeating: "x", count: 77) + "... │"))

        let narrow = TableStyle(maxCellWidth: 60, maxTotalWidth: 40, colour: false)
        let rendered = Table(title: "T", headers: ["K", "V"], rows: [["key", long]]).render(style: narrow)
        for line in rendered.split(separator: "\n") {
            #expect(line.count <= 40, "\(line)")
        }
        #expect(rendered.contains("..."))
    }

    @Test("line breaks in cells do not break the box; colour only when asked")
    func flattening() {
        let rendered = Table(title: "T", headers: ["A"], rows: [["one\ntwo"]]).render()
        #expect(rendered.contains("│ one two │"))
        #expect(!rendered.contains("\u{1B}"))
        let bold = Table(title: "T", headers: ["A"], rows: [["x"]]).render(style: TableStyle(maxCellWidth: 80, maxTotalWidth: nil, colour: true))
        #expect(bold.contains("\u{1B}[1mT\u{1B}[0m"))
    }
}
