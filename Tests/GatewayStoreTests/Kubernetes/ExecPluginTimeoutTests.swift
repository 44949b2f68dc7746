import Foundation
import GatewayKit
import GatewayStore
import Glibc
import Synchronization
import Testing
import TestSupport

/// Issue 7 item 10: a credential plugin cannot hang kgate. A slow one is announced, a
/// stuck one is killed with everything it started, and the reason is given.
@Suite("Exec credential plugins: notices and timeouts")
struct ExecPluginTimeoutTests {
    let folder: TemporaryFolder

    init() throws { folder = try TemporaryFolder("exec-plugin") }

    /// A kubeconfig whose user runs `script` (a POSIX shell body) as its exec plugin.
    private func kubeconfig(server: String, authority: String = "", script: String) throws -> String {
        let plugin = folder.file("plugin.sh")
        try ("#!/bin/sh\n" + script + "\n").write(toFile: plugin, atomically: true, encoding: .utf8)
        chmod(plugin, 0o755)
        let path = folder.file("config")
        try """
            current-context: c
            clusters:
            - name: c
              cluster: {server: "\(server)"\(authority)}
            users:
            - name: u
              user:
                exec:
                  apiVersion: client.authentication.k8s.io/v1
                  interactiveMode: Never
                  command: \(plugin)
            contexts:
            - name: c
              context: {cluster: c, user: u}
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private static let credential =
        #"printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"exec-token"}}'"#

    @Test("a slow plugin is announced as waited for, then as finished, and its token is used")
    func slowPluginIsAnnounced() async throws {
        let server = try await KubeFixture.server(expectingToken: "exec-token")
        defer { Task { await server.stop() } }
        let marker = folder.file("go")
        // Finishes once the test saw the notice: no guessed sleep on either side.
        let path = try kubeconfig(server: server.url, authority: ", " + server.authority.joined(separator: ", "), script: "while [ ! -e '\(marker)' ]; do sleep 0.02; done\n\(Self.credential)")
        let events = EventLog()
        let store = try KubernetesStore.open(
            kubeconfig: path, context: nil, environment: [:],
            plugins: CredentialPluginPolicy(noticeAfter: .milliseconds(100), onEvent: events.record))
        let load = Task { try await store.load() }
        #expect(await eventually(30) { events.all == [.waiting(command: folder.file("plugin.sh"))] })
        #expect(FileManager.default.createFile(atPath: marker, contents: nil))
        #expect(try await load.value.userProjects.count == 3)
        #expect(events.all == [.waiting(command: folder.file("plugin.sh")), .finished(command: folder.file("plugin.sh"))])
        #expect(events.all.first?.description == "waiting for credential plugin \(folder.file("plugin.sh"))…")
    }

    @Test("a stuck plugin is killed at KGATE_EXEC_TIMEOUT with what it started, and reported")
    func stuckPluginIsKilled() async throws {
        let helperPID = folder.file("helper.pid")
        // The plugin starts a helper and waits on it: both must go at the timeout.
        let path = try kubeconfig(server: "https://127.0.0.1:1", script: "sleep 300 &\necho $! > '\(helperPID)'\nwait")
        let events = EventLog()
        let store = try KubernetesStore.open(
            kubeconfig: path, context: nil, environment: ["KGATE_EXEC_TIMEOUT": "1"],
            plugins: CredentialPluginPolicy(noticeAfter: .milliseconds(100), onEvent: events.record))
        do {
            _ = try await store.load()
            Issue.record("a stuck plugin gave a token")
        } catch {
            #expect(error.description.contains("did not finish within 1 s and was stopped (set KGATE_EXEC_TIMEOUT"), "\(error)")
        }
        let helper = try #require(ProcessProbe.pid(writtenTo: helperPID, seconds: 5))
        #expect(ProcessProbe.waitUntilGone(helper, seconds: 10), "the plugin's helper \(helper) outlived it")
        #expect(events.all.contains(.timedOut(command: folder.file("plugin.sh"), seconds: 1)))
        #expect(events.all.first == .waiting(command: folder.file("plugin.sh")))
    }

    @Test("a failing plugin's last line of stderr says why, escaped")
    func failingPluginExplains() async throws {
        let path = try kubeconfig(server: "https://127.0.0.1:1", script: #"printf 'noise\nlogin required \033[31mnow\n' >&2; exit 4"#)
        let store = try KubernetesStore.open(kubeconfig: path, context: nil, environment: [:])
        do {
            _ = try await store.load()
            Issue.record("a failing plugin gave a token")
        } catch {
            #expect(error.description.hasSuffix("exited with status 4: login required \\u{1B}[31mnow"), "\(error)")
        }
    }

    @Test("KGATE_EXEC_TIMEOUT must be a whole number of seconds")
    func badTimeoutIsRefused() throws {
        let path = try kubeconfig(server: "https://127.0.0.1:1", script: Self.credential)
        #expect(throws: StoreError.invalid(
            object: "environment", errors: [FieldError("KGATE_EXEC_TIMEOUT", "must be a whole number of seconds, at least 1")])) {
            try KubernetesStore.open(kubeconfig: path, context: nil, environment: ["KGATE_EXEC_TIMEOUT": "soon"])
        }
    }
}

/// What a policy's `onEvent` heard, in order.
final class EventLog: Sendable {
    private let events = Mutex<[CredentialPluginEvent]>([])
    var all: [CredentialPluginEvent] { events.withLock { $0 } }
    var record: @Sendable (CredentialPluginEvent) -> Void { { event in self.events.withLock { $0.append(event) } } }
}
