import ArgumentParser

@main
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "steward-bench", abstract: "Steward benchmarks.", subcommands: [])
}
