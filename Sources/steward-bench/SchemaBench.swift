import ArgumentParser
import Foundation
import JSONSchema

/// `steward-bench schema`: validation throughput on the deployment workload
/// (`bench/validation_workload.py`), beside the
/// Python anchors (jsonschema-rs, fastjsonschema, python-jsonschema) measured in the same run.
struct SchemaBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Measure JSON Schema validation throughput against jsonschema-rs and python-jsonschema.",
        discussion: """
            Writes the workload with `python3 <workload> write DIR N` (a deployment schema and N \
            instances, 30% invalid) unless DIR already holds it, then measures, on one core:
              pre-parsed   isValid on instances already parsed into JSON values
              bytes        parse each JSON line and validate it (bytes -> verdict)
              errors       validate with full error reports (paths and messages)
            and runs `python3 <workload> N` for the anchors' figures on the same data.

            Example (from the package root, release build):
              swift run -c release steward-bench schema
            """
    )

    @Option(help: "Number of instances.")
    var count = 20_000

    @Option(help: ArgumentHelp("Folder for the workload files.", valueName: "dir"))
    var dir = ".build/bench-data"

    @Option(help: ArgumentHelp("The workload script (the repository's own; run from the package root).", valueName: "path"))
    var workload = "bench/validation_workload.py"

    @Option(help: "Minimum seconds to measure each Steward figure.")
    var seconds = 2.0

    @Flag(help: "Skip the Python anchors.")
    var noAnchors = false

    func run() throws {
        let folder = URL(fileURLWithPath: dir)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let schemaFile = folder.appendingPathComponent("schema.json")
        let instancesFile = folder.appendingPathComponent("instances.jsonl")
        let marker = folder.appendingPathComponent("count")
        let existing = (try? String(contentsOf: marker, encoding: .utf8)).flatMap { Int($0) }
        if existing != count || !FileManager.default.fileExists(atPath: instancesFile.path) {
            print("Writing the workload (\(count) instances) to \(dir) ...")
            _ = try runPython([workload, "write", folder.path, String(count)])
            try String(count).write(to: marker, atomically: true, encoding: .utf8)
        }

        let schema = try JSON(parsing: Data(contentsOf: schemaFile))
        let validator = try SchemaValidator(schema)
        let data = try Data(contentsOf: instancesFile)
        let lines: [[UInt8]] = data.split(separator: UInt8(ascii: "\n")).map { Array($0) }
        let instances = try lines.map { try JSON(parsing: $0) }
        let validCount = instances.reduce(0) { $0 + (validator.isValid($1) ? 1 : 0) }
        let errorCount = instances.reduce(0) { $0 + (validator.validate($1).isEmpty ? 1 : 0) }
        guard validCount == errorCount else {
            throw ValidationError("isValid and validate disagree: \(validCount) vs \(errorCount) valid")
        }

        print("Workload: \(instances.count) instances, \(validCount) valid, \(data.count / 1024) KiB of JSON lines")
        print("Measuring Steward (single core, \(seconds) s per figure) ...")
        let preParsed = measure(instances.count) {
            var ok = 0
            for x in instances where validator.isValid(x) { ok += 1 }
            return ok
        }
        let bytes = measure(lines.count) {
            var ok = 0
            for line in lines {
                if let x = try? JSON(parsing: line), validator.isValid(x) { ok += 1 }
            }
            return ok
        }
        let errors = measure(instances.count) {
            var ok = 0
            for x in instances where validator.validate(x).isEmpty { ok += 1 }
            return ok
        }
        let parseOnly = measure(lines.count) {
            var ok = 0
            for line in lines where (try? JSON(parsing: line)) != nil { ok += 1 }
            return ok
        }

        var anchors: [(String, Double)] = []
        if !noAnchors {
            print("Measuring the anchors (python3 \(workload) \(count)) ...")
            let output = try runPython([workload, String(count)])
            for line in output.split(separator: "\n") {
                // "jsonschema-rs: 335,904 validations/s (14000 valid of 20000)"
                let parts = line.split(separator: ":", maxSplits: 1)
                guard parts.count == 2 else { continue }
                let figure = parts[1].split(separator: " ").first.map { $0.replacingOccurrences(of: ",", with: "") }
                if let figure, let rate = Double(figure) { anchors.append((String(parts[0]), rate)) }
            }
        }

        let rs = anchors.first { $0.0 == "jsonschema-rs" }?.1
        print("")
        print(pad("", 44) + pad("validations/s", 16) + "vs jsonschema-rs")
        func row(_ name: String, _ rate: Double) {
            let ratio = rs.map { String(format: "%.2fx", rate / $0) } ?? "-"
            print(pad(name, 44) + pad(format(rate), 16) + ratio)
        }
        row("steward isValid, pre-parsed", preParsed)
        row("steward validate with errors, pre-parsed", errors)
        row("steward bytes -> verdict (parse + isValid)", bytes)
        row("steward parse only", parseOnly)
        for (name, rate) in anchors { row("\(name) (Python, pre-parsed)", rate) }
        if let rs {
            print("")
            print(preParsed >= rs
                ? "Target met: pre-parsed validation is \(String(format: "%.2f", preParsed / rs))x jsonschema-rs."
                : "Target NOT met: pre-parsed validation is \(String(format: "%.2f", preParsed / rs))x jsonschema-rs.")
        }
    }

    /// Runs `body` (one pass over `n` items) repeatedly for at least `seconds`; returns items/s.
    private func measure(_ n: Int, _ body: () -> Int) -> Double {
        _ = body()  // warm-up
        var passes = 0
        var sink = 0
        let clock = ContinuousClock()
        let start = clock.now
        var elapsed: Duration = .zero
        repeat {
            sink &+= body()
            passes += 1
            elapsed = clock.now - start
        } while elapsed < .seconds(seconds)
        if sink == -1 { print("") }
        let secs = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Double(passes * n) / secs
    }

    private func runPython(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let out = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ValidationError("python3 \(arguments.joined(separator: " ")) failed (exit \(process.terminationStatus)); install the anchors with: pip install jsonschema-rs jsonschema fastjsonschema")
        }
        return String(decoding: out, as: UTF8.self)
    }

    private func format(_ rate: Double) -> String {
        let n = Int(rate.rounded())
        var s = String(n)
        var i = s.count - 3
        while i > 0 { s.insert(",", at: s.index(s.startIndex, offsetBy: i)); i -= 3 }
        return s
    }

    private func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
    }
}
