import ChildProcess
import Foundation
import Glibc
import Testing
import TestSupport

/// The command line with a slow or stuck credential plugin: it says it waits, and no
/// plugin outlives it, even when kgate is killed.
@Suite("Exec credential plugins on the command line")
struct ExecPluginCommandLineTests {
    let folder: TemporaryFolder

    init() throws { folder = try TemporaryFolder("exec-cli") }

    /// `kgate projects` through a kubeconfig whose plugin runs `script`, in the background.
    private func startKGate(script: String, environment: [String: String] = [:]) throws -> ChildProcess {
        let plugin = folder.file("plugin.sh")
        try ("#!/bin/sh\n" + script + "\n").write(toFile: plugin, atomically: true, encoding: .utf8)
        chmod(plugin, 0o755)
        try """
            current-context: c
            clusters:
            - name: c
              cluster: {server: "https://127.0.0.1:1"}
            users:
            - name: u
              user:
                exec: {apiVersion: client.authentication.k8s.io/v1, interactiveMode: Never, command: \(plugin)}
            contexts:
            - name: c
              context: {cluster: c, user: u}
            """.write(toFile: folder.file("config"), atomically: true, encoding: .utf8)
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { _, new in new }
        var command = ChildCommand(KGateProcess.binary, ["projects", "--kubeconfig", folder.file("config")], environment: env)
        command.standardError = .file(folder.file("stderr"))
        command.newProcessGroup = true
        return try ChildProcess.start(command)
    }

    private var stderr: String { folder.read("stderr") ?? "" }

    @Test("after 2 s the command line says it waits for the plugin; the timeout stops it with exit 1")
    func waitingNoticeAndTimeout() throws {
        let kgate = try startKGate(script: "sleep 300 & echo $! > '\(folder.file("helper.pid"))'\nwait", environment: ["KGATE_EXEC_TIMEOUT": "4"])
        defer { kgate.stop(grace: 5) }
        let helper = try #require(ProcessProbe.pid(writtenTo: folder.file("helper.pid"), seconds: 10))
        let started = Date()
        #expect(kgate.wait(timeout: 60) == .exited(1), "\(stderr)")
        // Timed in kgate's own process; generous for a loaded machine, far below "never".
        #expect(Date().timeIntervalSince(started) < 20, "the 4 s timeout was not kept")
        #expect(stderr.contains("kgate: waiting for credential plugin \(folder.file("plugin.sh"))…"), "\(stderr)")
        #expect(stderr.contains("did not finish within 4 s and was stopped"), "\(stderr)")
        #expect(ProcessProbe.waitUntilGone(helper, seconds: 10), "the plugin's helper outlived kgate")
    }

    @Test("kgate killed by SIGTERM while a plugin runs takes the plugin and its helpers along", arguments: [SIGTERM, SIGINT])
    func killedKGateLeavesNoPlugin(signal: Int32) throws {
        let kgate = try startKGate(script: "echo $$ > '\(folder.file("plugin.pid"))'\nsleep 300 & echo $! > '\(folder.file("helper.pid"))'\nwait")
        defer { kgate.stop(grace: 5) }
        let plugin = try #require(ProcessProbe.pid(writtenTo: folder.file("plugin.pid"), seconds: 10))
        let helper = try #require(ProcessProbe.pid(writtenTo: folder.file("helper.pid"), seconds: 10))
        kgate.signal(signal, toGroup: false)
        #expect(kgate.wait(timeout: 30) == .signalled(signal))
        #expect(ProcessProbe.waitUntilGone(plugin, seconds: 10), "the plugin outlived kgate")
        #expect(ProcessProbe.waitUntilGone(helper, seconds: 10), "the plugin's helper outlived kgate")
    }
}
