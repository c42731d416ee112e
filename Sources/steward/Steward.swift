import ArgumentParser

@main
struct Steward: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "steward",
        abstract: "A declarative service orchestrator.",
        subcommands: []
    )
}
