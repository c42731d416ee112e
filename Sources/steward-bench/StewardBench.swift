import ArgumentParser

/// `steward-bench`: measurements of a Steward build.
@main
struct StewardBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "steward-bench",
        abstract: "Steward benchmarks.",
        discussion: """
            Build in release mode before measuring:
              swift build -c release --product steward-bench

            EXAMPLE:
              .build/release/steward-bench api
              .build/release/steward-bench api --server http://127.0.0.1:7700 --prvkey <owner key hex>
            """,
        subcommands: [APIBench.self, SchemaBench.self, SignatureBench.self, ReconcileBench.self, SuperviseBench.self, BenchServe.self]
    )
}
