import Foundation
import JSONSchema
import StewardCore

/// The server's data directory: created on first start with the server and owner identities.
///
/// Layout: `steward.db`, `steward.lock` (the running server's pid, see ``DataDirectoryLock``),
/// `keys/` (0700) with `owner.key` and `server.key` (0600, private key hex).
struct DataDirectory {
    let configuration: ServerConfiguration

    /// The identities of the directory, created when missing.
    struct Identities {
        let server: Identity
        let owner: Identity
        /// True when the owner key was created now (first start).
        let createdOwner: Bool
        /// The directory's lock, held until the server stops.
        let lock: DataDirectoryLock
    }

    /// Creates the directory when missing, takes its lock (throwing when another server holds
    /// it), and loads or creates the keys.

    func prepare() throws -> Identities {
        let fm = FileManager.default
        let home = configuration.absoluteHome
        do {
            try fm.createDirectory(atPath: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try fm.createDirectory(
                atPath: configuration.keysDirectory, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
            try fm.setAttributes([.posixPermissions: 0o700], ofItemAtPath: configuration.keysDirectory)
        } catch {
            throw StewardError.internal("cannot create the data directory \(home): \(error.localizedDescription)")
        }
        let lock = try DataDirectoryLock(home: home)
        let (server, _) = try loadOrCreateKey(at: configuration.serverKeyPath)
        let (owner, created) = try loadOrCreateKey(at: configuration.ownerKeyPath)
        return Identities(server: server, owner: owner, createdOwner: created, lock: lock)
    }

    private func loadOrCreateKey(at path: String) throws -> (Identity, Bool) {
        let fm = FileManager.default
        if fm.fileExists(atPath: path) {
            guard let data = fm.contents(atPath: path) else {
                throw StewardError.internal("cannot read the key file \(path)")
            }
            do {
                return (try Identity(privateKeyHex: String(decoding: data, as: UTF8.self)), false)
            } catch {
                throw StewardError.internal("the key file \(path) does not hold a private key: \(error.message)")
            }
        }
        let identity = Identity.generate()
        try PrivateFile.write(Array((identity.privateKeyHex + "\n").utf8), to: path, mode: 0o600)
        return (identity, true)
    }
}
