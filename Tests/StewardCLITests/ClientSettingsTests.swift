import Foundation
import StewardClient
import StewardCore
import Testing

/// Where the CLI finds the server, the key and the namespace.
@Suite("Client settings resolution")
struct ClientSettingsTests {
    /// A temporary directory with a client configuration and a key file.
    struct Files {
        let directory: URL
        let keyPath: String
        let configPath: String
        let key = Identity.generate()

        init(server: String = "http://10.0.0.1:7700", namespace: String = "team-a") throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("steward-settings-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            keyPath = directory.appendingPathComponent("owner.key").path
            configPath = directory.appendingPathComponent("config.json").path
            try (key.privateKeyHex + "\n").write(toFile: keyPath, atomically: true, encoding: .utf8)
            try #"{"server": "\#(server)", "prvkeyFile": "\#(keyPath)", "namespace": "\#(namespace)"}"#
                .write(toFile: configPath, atomically: true, encoding: .utf8)
        }

        func remove() { try? FileManager.default.removeItem(at: directory) }
    }

    @Test("the client configuration file supplies everything when nothing else is set")
    func fromConfiguration() throws {
        let files = try Files()
        defer { files.remove() }
        let settings = try ClientSettings.resolve(server: nil, privateKey: nil, namespace: nil, environment: ["STEWARD_CONFIG": files.configPath])
        #expect(settings.serverURL == "http://10.0.0.1:7700")
        #expect(settings.namespace == "team-a")
        #expect(try settings.identity().id == files.key.id)
    }

    @Test("environment variables override the configuration, flags override both")
    func precedence() throws {
        let files = try Files()
        defer { files.remove() }
        let other = Identity.generate()
        let environment = [
            "STEWARD_CONFIG": files.configPath, "STEWARD_SERVER": "http://env:1", "STEWARD_PRVKEY": other.privateKeyHex,
            "STEWARD_NAMESPACE": "env-ns",
        ]
        let fromEnvironment = try ClientSettings.resolve(server: nil, privateKey: nil, namespace: nil, environment: environment)
        #expect(fromEnvironment.serverURL == "http://env:1")
        #expect(fromEnvironment.namespace == "env-ns")
        #expect(try fromEnvironment.identity().id == other.id)

        let third = Identity.generate()
        let fromFlags = try ClientSettings.resolve(
            server: "http://flag:2", privateKey: third.privateKeyHex, namespace: "flag-ns", environment: environment)
        #expect(fromFlags.serverURL == "http://flag:2")
        let bare = try ClientSettings.resolve(server: "127.0.0.1:7700", privateKey: nil, namespace: nil, environment: environment)
        #expect(bare.serverURL == "http://127.0.0.1:7700")
        #expect(fromFlags.namespace == "flag-ns")
        #expect(try fromFlags.identity().id == third.id)
    }

    @Test("STEWARD_PRVKEY_FILE is read, and a missing one is an error naming it")
    func keyFile() throws {
        let files = try Files()
        defer { files.remove() }
        let settings = try ClientSettings.resolve(
            server: nil, privateKey: nil, namespace: nil, environment: ["STEWARD_PRVKEY_FILE": files.keyPath, "HOME": files.directory.path],
            defaultKeyPath: "/nonexistent/default.key")
        #expect(try settings.identity().id == files.key.id)
        #expect(settings.serverURL == ClientSettings.defaultServerURL)
        #expect(settings.namespace == "default")

        #expect {
            _ = try ClientSettings.resolve(
                server: nil, privateKey: nil, namespace: nil, environment: ["STEWARD_PRVKEY_FILE": "/nonexistent/key", "HOME": files.directory.path])
        } throws: { error in
            (error as? StewardError)?.message.contains("/nonexistent/key") == true
        }
    }

    @Test("no key at all, or a malformed one, gives an error that says what to do")
    func missingOrBadKey() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("steward-empty-\(UUID().uuidString)")
        let none = try ClientSettings.resolve(
            server: nil, privateKey: nil, namespace: nil, environment: ["HOME": directory.path],
            defaultKeyPath: directory.appendingPathComponent("owner.key").path)
        #expect {
            _ = try none.identity()
        } throws: { error in
            (error as? StewardError)?.message.contains("STEWARD_PRVKEY") == true
        }
        let bad = try ClientSettings.resolve(
            server: nil, privateKey: "not-hex", namespace: nil, environment: ["HOME": directory.path],
            defaultKeyPath: directory.appendingPathComponent("owner.key").path)
        #expect {
            _ = try bad.identity()
        } throws: { error in
            (error as? StewardError)?.message.hasPrefix("the private key from --prvkey is not valid") == true
        }
    }

    @Test("the configuration path follows STEWARD_CONFIG, then XDG_CONFIG_HOME, then HOME")
    func configurationPath() {
        #expect(ClientConfiguration.path(environment: ["STEWARD_CONFIG": "/a/c.json", "XDG_CONFIG_HOME": "/x", "HOME": "/h"]) == "/a/c.json")
        #expect(ClientConfiguration.path(environment: ["XDG_CONFIG_HOME": "/x", "HOME": "/h"]) == "/x/steward/config.json")
        #expect(ClientConfiguration.path(environment: ["HOME": "/h"]) == "/h/.config/steward/config.json")
    }
}
