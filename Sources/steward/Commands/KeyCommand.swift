import ArgumentParser

extension Steward {
    /// `steward key`: identities.
    struct KeyCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "key",
            abstract: "Manage identities (Ed25519 key pairs).",
            discussion: """
                An identity is an Ed25519 key pair. The private key signs every request; the id (the public key) is what owners add to namespaces.

                EXAMPLE:
                  steward key generate
                """,
            subcommands: [Generate.self]
        )
    }
}
