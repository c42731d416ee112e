import ArgumentParser

extension Steward {
    /// `steward process`: the reconciliation queue.
    struct ProcessCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "process",
            abstract: "Show the reconciliation processes of a namespace.",
            discussion: """
                Every create, update and delete of a service enqueues a process (action create, update, delete or resync, with the service's old and new state) for the executors of its kind's handler type. A process waits, runs under a lease held by one executor, and succeeds, or is retried with backoff.

                EXAMPLE:
                  steward process ls --service docker-executor
                  steward process ls --state waiting
                  steward process get --id 3f2a...
                """,
            subcommands: [List.self, Get.self]
        )
    }
}
