import Foundation
import JSONSchema
import StewardCore
import Testing

/// What a newcomer sees on the first mistakes: no server, a mistyped command, the version, a
/// key path with a dot.
@Suite("steward errors a newcomer meets")
struct CommandErrorTests {
    private func run(_ arguments: String...) throws -> CommandResult {
        try StewardBinary.run(arguments, directory: FileManager.default.temporaryDirectory, environment: ["HOME": "/nonexistent"])
    }

    @Test("no server running: the error names the URL and how to start one")
    func noServer() throws {
        let key = Identity.generate().privateKeyHex
        let result = try run("service", "ls", "--server", "http://127.0.0.1:1", "--prvkey", key)
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr == "Error: no Steward server answers at http://127.0.0.1:1 (start one with: steward server)\n", "\(result)")
        #expect(result.stdout.isEmpty)
    }

    @Test("an unknown command names itself and the commands there are")
    func unknownCommand() throws {
        let top = try run("frobnicate")
        #expect(top.status == 2, "\(top)")
        #expect(
            top.stderr
                == "Error: unknown command 'frobnicate' for 'steward'. Commands: server, key, whoami, namespace, member, service, process, executor, node, apply, schema, config. See 'steward --help'.\n",
            "\(top)")

        let nested = try run("service", "lst", "--kind", "X")
        #expect(nested.status == 2, "\(nested)")
        #expect(nested.stderr.hasPrefix("Error: unknown command 'lst' for 'steward service' (did you mean 'ls'?). Commands: definition, "), "\(nested)")

        let typo = try run("sevice")
        #expect(typo.stderr.hasPrefix("Error: unknown command 'sevice' for 'steward' (did you mean 'service'?)."), "\(typo)")

        // Arguments of a command are its own, and `help` is the parser's.
        #expect(try run("help", "service").status == 0)
        let validate = try run("schema", "validate", "--help")
        #expect(validate.status == 0, "\(validate)")
    }

    @Test("steward --version prints the version")
    func version() throws {
        let result = try run("--version")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == StewardVersion.current + "\n", "\(result)")
        #expect(StewardVersion.current.split(separator: ".").count == 3)
    }

    @Test("set --help shows the bracket form for keys with dots")
    func setHelp() throws {
        let help = try run("service", "set", "--help")
        #expect(help.status == 0, "\(help)")
        #expect(help.stdout.contains(#"    --key 'metadata.labels["app.kubernetes.io/name"]' --value executor"#), "\(help)")
        let words = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(words.contains(#"a '\' outside brackets is refused, so spec.env.a\.b is an error that suggests spec.env["a.b"]"#), "\(help)")
    }

    @Test("a backslash in a plain key is refused with the bracket form as the hint")
    func backslashKey() throws {
        let result = try run("service", "set", "--name", "web", "--key", #"spec.env.a\.b"#, "--value", "1")
        #expect(result.status == 2, "\(result)")
        #expect(
            result.stderr.hasPrefix(
                #"Error: --key 'spec.env.a\.b' is not a valid path: invalid path 'spec.env.a\.b': '\' at position 11 is not an escape in a plain key; write a key that holds '.', '[', ']' or '\' in brackets with quotes: spec.env["a.b"]"#
            ), "\(result)")
    }

    @Test("the bracket form sets a key with dots and slashes")
    func bracketKey() throws {
        let server = try TestServer()
        defer { server.stop() }
        #expect(try server.run("service", "definition", "add", "--spec", "executor-deployment-definition.json").status == 0)
        #expect(try server.run("service", "add", "--spec", "docker-executor-deployment.json").status == 0)
        let set = try server.run(
            "service", "set", "--name", "docker-executor", "--key", #"metadata.labels["app.kubernetes.io/name"]"#, "--value", "executor")
        #expect(set.status == 0, "\(set)")
        let service = try server.run("service", "get", "--name", "docker-executor", "-o", "json").json()
        #expect(service["metadata"]?["labels"]?["app.kubernetes.io/name"] == "executor", "\(service)")
    }
}
