import ArgumentParser

extension Steward {
    /// `steward service`: services and, under `definition`, their definitions.
    struct ServiceCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "service",
            abstract: "Manage services and service definitions.",
            discussion: """
                A service is an instance of a kind: its spec is checked against the kind's definition, defaults are applied, and reconcilers report its status.

                EXAMPLE:
                  steward service add --spec docker-executor-deployment.json
                  steward service ls --kind ExecutorDeployment
                  steward service set --name docker-executor --key spec.replicas --value 5
                  steward service get --name docker-executor
                  steward service remove --name docker-executor
                """,
            subcommands: [
                DefinitionCommand.self, Add.self, List.self, Get.self, Update.self, Set.self, Remove.self, History.self, Logs.self,
                Reconcile.self, Restart.self, Check.self, Signal.self,
            ]
        )
    }
}
