import ArgumentParser
import StewardCore

extension Steward {
    /// `steward node`: the machines whose supervisors run instances.
    struct NodeCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "node",
            abstract: "Show the nodes: the machines whose supervisors run ProcessDeployment instances.",
            discussion: """
                Each supervisor (the one `steward server` runs for its own machine, named by --node or the host name) registers its node and heartbeats it every 5 seconds with its labels (--label), memory, processors and the instances it runs. A node that has not heartbeated for 20 seconds is Unknown.

                EXAMPLE:
                  steward node ls
                  steward node get --name web-1 -o json
                """,
            subcommands: [List.self, Get.self, Remove.self]
        )

        /// `steward node ls`.
        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "ls",
                abstract: "List the nodes with their state, labels, capacity, instances and last heartbeat.",
                discussion: """
                    EXAMPLE:
                      steward node ls
                      steward node ls -o json
                    """
            )

            @OptionGroup var options: GlobalOptions

            func run() async throws {
                let nodes = try await options.makeClient().nodes()
                options.printer.emit(.object(["items": .array(nodes.map(\.json))])) { [NodeRenderer.list(nodes)] }
            }
        }

        /// `steward node get`.
        struct Get: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "get",
                abstract: "Show one node.",
                discussion: """
                    EXAMPLE:
                      steward node get --name web-1
                      steward node get --name web-1 -o yaml
                    """
            )

            @OptionGroup var options: GlobalOptions

            @Option(help: "The node's name (as `steward node ls` shows).")
            var name: String

            func run() async throws {
                let node = try await options.makeClient().node(named: name)
                options.printer.emit(node.json) { [NodeRenderer.detail(node)] }
            }
        }

        /// `steward node remove`.
        struct Remove: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "remove",
                abstract: "Forget a node (a running supervisor registers it again at its next heartbeat).",
                discussion: """
                    Only the identity that registered the node, or an owner of the default namespace, may remove it. Removing frees the name for a supervisor under another key.

                    EXAMPLE:
                      steward node remove --name old-host
                    """
            )

            @OptionGroup var options: GlobalOptions

            @Option(help: "The node's name.")
            var name: String

            func run() async throws {
                try await options.makeClient().removeNode(named: name)
                print("node/\(name) removed")
            }
        }
    }
}
