import Foundation
import Glibc
import StewardCore
import Testing

@testable import StewardSupervisor

@Suite("HealthProbe: exec, http, tcp")
struct HealthProbeTests {
    let directory = RuntimeTestDirectory()

    func exec(_ command: [String], timeout: Duration = .seconds(10), workingDirectory: String? = nil,
        environment: [String: String] = RuntimeTest.environment) async -> HealthProbeResult {
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
        var environment = RuntimeTest.environment
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
        try await RuntimeTest.waitUntil("the probe's child to end") { !RuntimeTest.isRunning(child) }
    }

    @Test func execThatCannotStartFails() async {
        #expect(await exec(["/no/such/probe"])
            == HealthProbeResult(passed: false, message: "/no/such/probe: no such file or directory"))
    }

    @Test func httpAndTcpAgainstARealServer() async throws {
        mkdir(directory.file("sub"), 0o755)
        let port = RuntimeTest.freePort()
        let runtime = ProcessRuntime()
        let server = InstanceLaunch(
            instanceID: RuntimeTest.instanceID("http"), command: [RuntimeTest.python3, "-m", "http.server", "--bind", "127.0.0.1", "\(port)"],
            environment: RuntimeTest.environment, workingDirectory: directory.path, logPath: directory.file("server.log"))
        let handle = try await runtime.start(server)
        defer { kill(-handle.pid, SIGKILL) }
        try await RuntimeTest.waitUntil("the server to listen") {
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
        _ = try await RuntimeTest.termination(of: server.instanceID, on: runtime)
    }

    @Test func closedPortIsRefused() async {
        let port = RuntimeTest.freePort()
        let http = await HealthProbe.run(.http(path: "/health", port: port), port: nil, environment: [:],
            workingDirectory: nil, timeout: .seconds(10))
        #expect(http == HealthProbeResult(passed: false, message: "connection refused on 127.0.0.1:\(port)"))
        let tcp = await HealthProbe.run(.tcp(port: nil), port: port, environment: [:], workingDirectory: nil,
            timeout: .seconds(10))
        #expect(tcp == HealthProbeResult(passed: false, message: "connection refused on 127.0.0.1:\(port)"))
    }

    @Test func httpTimesOutWhenTheServerDoesNotAnswer() async throws {
        // Listening but never accepting: the kernel completes the handshake, no answer comes.
        let (fd, port) = try RuntimeTest.listeningSocket()
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
