import Foundation
import Glibc
import StewardCore
import Testing

@testable import StewardSupervisor

@Suite("HealthProbe: exec, http, tcp")
struct HealthProbeTests {
    let directory = RuntimeTestDirectory()

    func exec(_ command: [String], timeout: Duration = .seconds(10), workingDirectory: String? = nil,
        environment: [String: String] = testEnvironment) async -> HealthProbeResult {
        await HealthProbe.run(.exec(command), port: nil, environment: environment, workingDirectory: workingDirectory,
            timeout: timeout)
    }

    @Test func execPassesOnExitZero() async {
        #expect(await exec(["/bin/sh", "-c", "echo fine"]) == HealthProbeResult(passed: true, message: "exit 0"))
    }

    @Test func execFailsWithTheFirstLineOfItsOutput() async {
        let result = await exec(["sh", "-c", "echo; echo not ready yet >&2; echo second line; exit 1"])
        #expect(result == HealthProbeResult(passed: false, message: "exit 1: not ready yet"))
        #expect(await exec(["sh", "-c", "exit 1"]) == HealthProbeResult(passed: false, message: "exit 1"))
    }

    @Test func execRunsInTheInstancesEnvironmentAndDirectory() async {
        var environment = testEnvironment
        environment["FOO"] = "bar"
        let check = "test \"$FOO\" = bar || { echo FOO=$FOO; exit 1; }; test \"$(pwd)\" = '\(directory.path)' || { pwd; exit 2; }"
        let result = await exec(["sh", "-c", check], workingDirectory: directory.path, environment: environment)
        #expect(result == HealthProbeResult(passed: true, message: "exit 0"))
    }

    @Test func execTimesOutAndKillsItsGroup() async throws {
        let pidFile = directory.file("child.pid")
        let result = await exec(["/bin/sh", "-c", "sleep 1000 & echo $! > \(pidFile); wait"], timeout: .seconds(1))
        #expect(result == HealthProbeResult(passed: false, message: "timed out after 1s"))
        let child = Int32(directory.read("child.pid").trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        #expect(child > 0)
        try await waitUntil("the probe's child to end") { !isRunning(child) }
    }

    @Test func execThatCannotStartFails() async {
        #expect(await exec(["/no/such/probe"])
            == HealthProbeResult(passed: false, message: "/no/such/probe: no such file or directory"))
    }

    @Test func httpAndTcpAgainstARealServer() async throws {
        mkdir(directory.file("sub"), 0o755)
        let port = freePort()
        let runtime = ProcessRuntime()
        let server = InstanceLaunch(
            instanceID: testInstanceID("http"), command: [python3, "-m", "http.server", "--bind", "127.0.0.1", "\(port)"],
            environment: testEnvironment, workingDirectory: directory.path, logPath: directory.file("server.log"))
        let handle = try await runtime.start(server)
        defer { kill(-handle.pid, SIGKILL) }
        try await waitUntil("the server to listen") {
            await HealthProbe.run(.tcp(port: nil), port: port, environment: [:], workingDirectory: nil, timeout: .seconds(5))
                .passed
        }
        let tcp = await HealthProbe.run(.tcp(port: port), port: nil, environment: [:], workingDirectory: nil, timeout: .seconds(5))
        #expect(tcp == HealthProbeResult(passed: true, message: "connected to 127.0.0.1:\(port)"))

        func get(_ path: String) async -> HealthProbeResult {
            await HealthProbe.run(.http(path: path, port: nil), port: port, environment: [:], workingDirectory: nil,
                timeout: .seconds(10))
        }
        #expect(await get("/") == HealthProbeResult(passed: true, message: "HTTP 200"))
        #expect(await get("/missing") == HealthProbeResult(passed: false, message: "HTTP 404"))
        // A directory without its slash: a redirect, which passes and is not followed.
        #expect(await get("/sub") == HealthProbeResult(passed: true, message: "HTTP 301"))
        await runtime.signal(handle, SIGTERM)
        _ = try await termination(of: server.instanceID, on: runtime)
    }

    @Test func closedPortIsRefused() async {
        let port = freePort()
        let http = await HealthProbe.run(.http(path: "/health", port: port), port: nil, environment: [:],
            workingDirectory: nil, timeout: .seconds(10))
        #expect(http == HealthProbeResult(passed: false, message: "connection refused on 127.0.0.1:\(port)"))
        let tcp = await HealthProbe.run(.tcp(port: nil), port: port, environment: [:], workingDirectory: nil,
            timeout: .seconds(10))
        #expect(tcp == HealthProbeResult(passed: false, message: "connection refused on 127.0.0.1:\(port)"))
    }

    @Test func httpTimesOutWhenTheServerDoesNotAnswer() async throws {
        // Listening but never accepting: the kernel completes the handshake, no answer comes.
        let (fd, port) = try listeningSocket()
        defer { close(fd) }
        let result = await HealthProbe.run(.http(path: "/", port: port), port: nil, environment: [:],
            workingDirectory: nil, timeout: .seconds(1))
        #expect(result == HealthProbeResult(passed: false, message: "timed out after 1s"))
    }

    @Test func withoutAPortTheProbeFails() async {
        let result = await HealthProbe.run(.tcp(port: nil), port: nil, environment: [:], workingDirectory: nil,
            timeout: .seconds(1))
        #expect(!result.passed)
        #expect(result.message == "no port to probe: give the probe a port or the service a port")
    }

    @Test func timeoutsReadShort() {
        #expect(HealthProbe.describe(.seconds(1)) == "1s")
        #expect(HealthProbe.describe(.milliseconds(1500)) == "1.5s")
        #expect(HealthProbe.describe(.milliseconds(250)) == "250ms")
    }
}

/// A port nothing listens on now (bound to 0, read back, closed).
func freePort() -> Int {
    guard let (fd, port) = try? listeningSocket() else { return 1 }
    close(fd)
    return port
}

/// A socket listening on 127.0.0.1 at a free port.
func listeningSocket() throws -> (Int32, Int) {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = in_addr_t(UInt32(0x7f00_0001).bigEndian)
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            bind(fd, pointer, length) == 0 && listen(fd, 16) == 0 && getsockname(fd, pointer, &length) == 0
        }
    }
    guard bound else {
        close(fd)
        throw RuntimeTestTimeout(description: "cannot listen on 127.0.0.1")
    }
    return (fd, Int(UInt16(bigEndian: address.sin_port)))
}
