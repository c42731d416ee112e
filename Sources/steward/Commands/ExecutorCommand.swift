import ArgumentParser

extension Steward {
    /// `steward executor`: the reconcilers registered in a namespace.
    struct ExecutorCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "executor",
            abstract: "Show the executors (reconcilers) registered in a namespace.",
            discussion: """
                Executors register with an executor type, a name and a node, and receive the reconciliation processes of the kinds whose handler names their type.

                EXAMPLE:
                  steward executor ls
                  steward executor run --type echo-reconciler --name echo-1
                """,
            subcommands: [List.self, Run.self]
        )
    }
}
