import Foundation
import JSONSchema
import StewardCore

/// Where the CLI finds the server, its key and its namespace, resolved from flags, the
/// environment, and the current context of the client configuration (``ClientConfiguration``),
/// to which `steward server` adds its own context on start.
///
/// Order, first found wins:
/// - server: `--server`, `STEWARD_SERVER`, the current context's `server`, `http://127.0.0.1:7700`;
/// - key: `--prvkey` (hex), `STEWARD_PRVKEY` (hex), the file `STEWARD_PRVKEY_FILE`, the
///   current context's `prvkeyFile`, `./.steward/keys/owner.key`;
/// - namespace: `--namespace`, `STEWARD_NAMESPACE`, the current context's `namespace`, `default`.
///
/// The configuration file is `$STEWARD_CONFIG`, else `$XDG_CONFIG_HOME/steward/config.json`,
/// else `~/.config/steward/config.json`.
public struct ClientSettings: Sendable {
    /// The default server address.
    public static let defaultServerURL = "http://127.0.0.1:7700"

    public var serverURL: String
    /// The private key in hex, or nil when none was found.
    public var privateKeyHex: String?
    /// Where the key came from, for error messages (`--prvkey`, a file path, ...).
    public var privateKeySource: String
    public var namespace: String

    /// The key file tried last: the owner key of a server started in the current directory.
    public static let defaultKeyPath = "./.steward/keys/owner.key"

    /// Resolves the settings.
    /// - Parameters:
    ///   - server, privateKey, namespace: the command-line flags, nil when not given.
    ///   - environment: the process environment.
    ///   - defaultKeyPath: the key file tried when nothing else names one.
    public static func resolve(
        server: String?, privateKey: String?, namespace: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        defaultKeyPath: String = ClientSettings.defaultKeyPath
    ) throws(StewardError) -> ClientSettings {
        let path = ClientConfiguration.path(environment: environment)
        let context = try ClientConfiguration.load(from: path)?.current()

        var serverURL = nonEmpty(server) ?? nonEmpty(environment["STEWARD_SERVER"]) ?? nonEmpty(context?.server) ?? defaultServerURL
        // `host:port` alone means plain HTTP.
        if !serverURL.contains("://") { serverURL = "http://" + serverURL }

        var keyHex: String?
        var keySource = ""
        if let flag = nonEmpty(privateKey) {
            keyHex = flag
            keySource = "--prvkey"
        } else if let variable = nonEmpty(environment["STEWARD_PRVKEY"]) {
            keyHex = variable
            keySource = "STEWARD_PRVKEY"
        } else {
            let candidates: [(String, String)] = [
                nonEmpty(environment["STEWARD_PRVKEY_FILE"]).map { ($0, "STEWARD_PRVKEY_FILE") },
                nonEmpty(context?.prvkeyFile).map { ($0, "context \(context?.name ?? "") of the client configuration \(path)") },
                (defaultKeyPath, "the default key path"),
            ].compactMap { $0 }
            for (path, origin) in candidates {
                if FileManager.default.fileExists(atPath: path) {
                    do {
                        keyHex = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
                    } catch {
                        throw StewardError(.invalidInput, "cannot read the key file \(path) (from \(origin)): \(error.localizedDescription)")
                    }
                    keySource = path
                    break
                } else if origin != "the default key path" {
                    throw StewardError(.invalidInput, "the key file \(path) (from \(origin)) does not exist")
                }
            }
        }

        let namespace = nonEmpty(namespace) ?? nonEmpty(environment["STEWARD_NAMESPACE"]) ?? nonEmpty(context?.namespace) ?? "default"
        return ClientSettings(serverURL: serverURL, privateKeyHex: keyHex, privateKeySource: keySource, namespace: namespace)
    }

    /// The identity of the resolved key, or an error that says how to provide one.
    public func identity() throws(StewardError) -> Identity {
        guard let privateKeyHex else {
            throw StewardError(
                .unauthenticated,
                "no private key: pass --prvkey, set STEWARD_PRVKEY or STEWARD_PRVKEY_FILE, or start `steward server` on this machine so that it adds its context to the client configuration (steward config get-contexts)"
            )
        }
        do {
            return try Identity(privateKeyHex: privateKeyHex)
        } catch {
            throw StewardError(.invalidInput, "the private key from \(privateKeySource) is not valid: \(error.message)")
        }
    }

    /// A client for these settings on ``StewardClient/interactiveHTTPClient``, which reports an
    /// unreachable server at once.
    public func makeClient() throws(StewardError) -> StewardClient {
        StewardClient(
            configuration: .init(serverURL: serverURL, identity: try identity(), namespace: namespace),
            httpClient: StewardClient.interactiveHTTPClient)
    }

    private static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }
}
