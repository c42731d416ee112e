import AsyncHTTPClient
import Foundation
import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// supervisord (`pip install supervisor`) as a supervision peer, in the foreground (`-n`) with
/// its XML-RPC interface on loopback. A submit adds a `[program:x]` with `numprocs=N`
/// (`autostart`, `autorestart`, `startsecs=0`) as an included file and sends what
/// `supervisorctl update` sends (`supervisor.reloadConfig`, then `supervisor.addProcessGroup`),
/// from this process over HTTP as Steward's request is, so neither pays a CLI's start-up.
final class SupervisordPeer: SupervisorPeer, @unchecked Sendable {
    let name = "supervisord"
    let directory: String
    let executable: String
    let port = Int.random(in: 50_001...60_000)
    private var process: ChildProcess?
    private let http = HTTPClient(eventLoopGroupProvider: .singleton)

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    var logPath: String { directory + "/supervisord.log" }
    private var configPath: String { directory + "/supervisord.conf" }
    private var programsDirectory: String { directory + "/programs" }

    /// `SUPERVISORD` names the executable; else `supervisord` in PATH.
    static func findExecutable() -> String? {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["SUPERVISORD"] { return path }
        let path = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        return path.map { $0 + "/supervisord" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    init(directory: String) throws {
        guard let executable = Self.findExecutable() else {
            throw Failure(description: "supervisord is not installed: pip install supervisor (or set SUPERVISORD to its path)")
        }
        self.directory = directory
        self.executable = executable
    }

    func start() async throws {
        try FileManager.default.createDirectory(atPath: programsDirectory, withIntermediateDirectories: true)
        // minfds: each instance holds pipes for its stdout and stderr in supervisord.
        let config = """
            [supervisord]
            nodaemon=true
            logfile=\(directory)/supervisord-main.log
            pidfile=\(directory)/supervisord.pid
            childlogdir=\(directory)
            loglevel=warn
            minfds=8192

            [inet_http_server]
            port=127.0.0.1:\(port)

            [rpcinterface:supervisor]
            supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

            [supervisorctl]
            serverurl=http://127.0.0.1:\(port)

            [include]
            files = \(programsDirectory)/*.conf

            """
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
        let process = try ChildProcess.spawn(executable, ["-n", "-c", configPath], log: logPath)
        self.process = process
        let deadline = Date().addingTimeInterval(30)
        while true {
            guard process.isRunning else {
                throw Failure(description: "supervisord exited: \((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "")")
            }
            if let state = try? await call("supervisor.getState"), state.contains("RUNNING") { return }
            guard Date() < deadline else { throw Failure(description: "supervisord did not answer on 127.0.0.1:\(port) within 30 s (its log: \(logPath))") }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
    }

    func submit(instances: Int, beacon: BeaconProgram, socket: String) async throws -> UInt64 {
        let started = BeaconListener.now()
        let program = """
            [program:x]
            command=\(beacon.path) \(socket) %(process_num)d
            process_name=%(program_name)s_%(process_num)02d
            numprocs=\(instances)
            autostart=true
            autorestart=true
            startsecs=0

            """
        try program.write(toFile: programsDirectory + "/x.conf", atomically: true, encoding: .utf8)
        _ = try await call("supervisor.reloadConfig")
        _ = try await call("supervisor.addProcessGroup", "x")
        return started
    }

    func supervisingPids() -> [Int32] {
        guard let process, process.isRunning else { return [] }
        return [process.pid]
    }

    func stop() async {
        // SIGTERM: supervisord stops every program (SIGTERM) and exits.
        await process?.terminate(waiting: 30)
        process = nil
        try? await http.shutdown()
    }

    /// One XML-RPC call with string parameters; returns the response body, throws on a fault.
    private func call(_ method: String, _ parameters: String...) async throws -> String {
        let params = parameters.map { "<param><value><string>\($0)</string></value></param>" }.joined()
        let body = "<?xml version=\"1.0\"?><methodCall><methodName>\(method)</methodName><params>\(params)</params></methodCall>"
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/RPC2")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "text/xml")
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await http.execute(request, timeout: .seconds(30))
        let text = String(buffer: try await response.body.collect(upTo: 16 << 20))
        guard response.status == .ok, !text.contains("<fault>") else {
            throw Failure(description: "supervisord \(method) answered \(response.status.code): \(text)")
        }
        return text
    }
}
