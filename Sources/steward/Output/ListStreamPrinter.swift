import JSONSchema

/// Prints a list (`{"items": [...], ...}`) as JSON or YAML a page at a time, exactly as
/// ``Printer`` prints the whole list at once, so that only one page is in memory.
struct ListStreamPrinter {
    let format: OutputFormat
    private var count = 0

    /// Nothing is printed before the first page came (or the list ended), so a list whose
    /// first read fails prints only the error.
    init(format: OutputFormat) {
        self.format = format
    }

    private static let serializer = JSONSerializer(pretty: true)
    private static let jsonHead = #"{"# + "\n" + #"  "items": ["#

    /// Prints the next items of the list.
    mutating func write(_ items: [JSON]) {
        guard !items.isEmpty else { return }
        var text = ""
        switch format {
        case .json:
            var bytes: [UInt8] = []
            for item in items {
                bytes.append(contentsOf: (count == 0 ? Self.jsonHead + "\n    " : ",\n    ").utf8)
                Self.serializer.write(item, into: &bytes, depth: 2)
                count += 1
            }
            return Printer.write(bytes: bytes)
        case .yaml:
            if count == 0 { text += "items:\n" }
            text += YAMLWriter.string(.array(items))
            count += items.count
        case .table:
            return
        }
        Printer.write(text)
    }

    /// Ends the list, with the members that follow `items` (such as the list's `revision`).
    func finish(_ members: JSONObject = [:]) {
        var text = ""
        switch format {
        case .json:
            text += count == 0 ? Self.jsonHead + "]" : "\n  ]"
            for (key, value) in members {
                text += ",\n  " + JSON.string(key).serialized() + ": "
                text += value.serialized(pretty: true).replacingOccurrences(of: "\n", with: "\n  ")
            }
            text += "\n}\n"
        case .yaml:
            if count == 0 { text += "items: []\n" }
            if !members.isEmpty { text += YAMLWriter.string(.object(members)) }
        case .table:
            return
        }
        Printer.write(text)
    }
}
