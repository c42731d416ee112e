import ArgumentParser
import JSONSchema
import StewardCore

extension Steward.KeyCommand {
    /// `steward key generate`: prints a new private key and its id.
    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "generate",
            abstract: "Generate a new identity and print its private key and id.",
            discussion: """
                Prints the private key (64 hex characters; keep it secret) and the identity id (the public key, 64 hex characters) that an owner adds with `steward member add`. Nothing is stored: save the key yourself, for example in a file for STEWARD_PRVKEY_FILE.

                EXAMPLE:
                  steward key generate
                  steward key generate -o json
                """
        )

        @Option(name: [.short, .long], help: "The output format: table, json or yaml.")
        var output: OutputFormat = .table

        func run() async throws {
            let identity = Identity.generate()
            let json: JSON = .object(["prvkey": .string(identity.privateKeyHex), "id": .string(identity.id)])
            Printer(format: output).emit(json) {
                "Private key: \(identity.privateKeyHex)\nId:          \(identity.id)\n"
            }
        }
    }
}
