import ChildProcess
import Foundation
import Glibc
import Testing
import TestSupport

/// `kgate ssh-server` reached with the real OpenSSH client: refusals without a terminal,
/// consoles with one (`ssh -tt` in tmux).
@Suite("ssh-server with OpenSSH", .serialized)
struct OpenSSHClientTests {
    @Test("an unknown key, a password and keyboard-interactive are refused")
    func unknownKeyAndPasswordAreRefused() throws {
        let server = try RunningServer()
        let stranger = try server.ssh(key: "stranger")
        #expect(stranger.termination == .exited(255))
        #expect(stranger.errorText.contains("Permission denied (publickey)"), "\(stranger)")
        let password = try server.ssh(key: "stranger", ["-o", "PreferredAuthentications=password,keyboard-interactive"])
        #expect(password.termination == .exited(255))
        #expect(password.errorText.contains("Permission denied"), "\(password)")
    }

    @Test("failed attempts block their address; good logins do not count")
    func failedAttemptsAreRateLimited() throws {
        let server = try RunningServer()
        for _ in 0..<6 {
            let good = try server.ssh(key: "operator", ["-T"])
            #expect(good.errorText.contains("the console needs a terminal"), "\(good)")
        }
        for _ in 0..<5 { _ = try server.ssh(key: "stranger") }
        let blocked = try server.ssh(key: "operator", ["-T"])
        #expect(blocked.termination == .exited(255))
        #expect(!blocked.errorText.contains("the console needs a terminal"), "\(blocked)")
    }

    @Test("exec and a session without a terminal get a line saying why, and exit 1")
    func execAndNoTerminalAreExplained() throws {
        let server = try RunningServer()
        let exec = try server.ssh(key: "operator", remoteCommand: ["kgate", "projects"])
        #expect(exec.termination == .exited(1))
        #expect(exec.errorText.contains("kgate: commands are refused here (exec)"), "\(exec)")
        let noTerminal = try server.ssh(key: "operator", ["-T"])
        #expect(noTerminal.termination == .exited(1))
        #expect(noTerminal.errorText.contains("the console needs a terminal and this session has none"), "\(noTerminal)")
    }

    @Test("a bad authorized keys file stops the start with its line and field; a bad change keeps the old keys")
    func badKeysFileIsReported() throws {
        let folder = try TemporaryFolder.withDemoWorkspace("kgate-ssh")
        try folder.write("keys", "role=\"admin\" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl x\n")
        let start = try KGateProcess.run(
            ["ssh-server", "--workspace", folder.workspace, "--listen", "127.0.0.1:0", "--host-key", folder.file("host"),
             "--authorized-keys", folder.file("keys")], timeout: 30)
        #expect(start.status == 1)
        #expect(start.stderr.contains("\(folder.file("keys")):1: role: must be \"viewer\" or \"operator\", not \"admin\""), "\(start)")

        let server = try RunningServer()
        try server.folder.write("authorized_keys", "ssh-ed25519 broken\n")
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline, !(server.folder.read("server.err") ?? "").contains("stay in force") { usleep(20_000) }
        #expect((server.folder.read("server.err") ?? "").contains(":1: key: not a valid ssh-ed25519 public key; the keys read before stay in force"))
        let stillIn = try server.ssh(key: "operator", ["-T"])
        #expect(stillIn.errorText.contains("the console needs a terminal"), "\(stillIn)")
    }

    @Test("port forwarding, both ways, is refused")
    func forwardingIsRefused() throws {
        let server = try RunningServer()
        let local = try server.ssh(key: "operator", ["-W", "127.0.0.1:\(server.port)"])
        #expect(local.termination == .exited(255))
        #expect(local.errorText.contains("stdio forwarding failed"), "\(local)")
        let remote = try server.ssh(
            key: "operator", ["-N", "-o", "ExitOnForwardFailure=yes", "-R", "127.0.0.1:0:127.0.0.1:\(server.port)"])
        #expect(remote.termination == .exited(255))
        #expect(remote.errorText.contains("remote port forwarding failed"), "\(remote)")
    }

    @Test("the host key's fingerprint printed at start is the one the client sees")
    func fingerprintMatchesTheClients() throws {
        let server = try RunningServer()
        var command = ChildCommand(
            "/usr/bin/ssh-keyscan", ["-p", "\(server.port)", "-t", "ed25519", "127.0.0.1"])
        command.standardOutput = .file(server.folder.file("scanned"))
        _ = try ChildProcess.run(command, timeout: 30)
        var fingerprint = ChildCommand("/usr/bin/ssh-keygen", ["-l", "-f", server.folder.file("scanned")])
        fingerprint.standardOutput = .capture
        let outcome = try ChildProcess.run(fingerprint, timeout: 30)
        #expect(outcome.outputText.contains(server.hostFingerprint), "\(outcome) vs \(server.hostFingerprint)")
    }

    @Test("an operator's console over ssh -tt sets the demo gateway, recorded in the audit log; quitting ends the session")
    func operatorSetsTheGateway() throws {
        let auditFolder = try TemporaryFolder("kgate-audit")
        let auditLog = auditFolder.file("audit.log")
        let server = try RunningServer(extraArguments: ["--audit-log", auditLog])
        let session = try TmuxSession(
            command: server.interactiveCommand(key: "operator") + "; echo \"ssh exited $?\"",
            environment: ["LANG": "C.UTF-8", "TERM": "xterm-256color"])
        try session.waitFor("demo", timeout: 20)
        try session.send("Enter")
        try session.waitFor("Gateway Not Set")
        try session.send("s")
        try session.waitFor("Access Method")
        try session.send("Enter")
        try session.waitFor(timeout: 10, "the node ports") { $0.contains("Node Port") && $0.contains("http:3") }
        try session.send("q")
        try session.waitFor(timeout: 10, "the project list or the exit") { !$0.contains("Node Port") }
        try session.send("q")
        try session.waitFor("ssh exited 0")
        let shown = try KGateProcess.run(["gateway", "show", "demo", "-o", "json", "--workspace", server.folder.workspace])
        #expect(shown.stdout.contains("NodePort"), "\(shown)")

        let audit = try KGateProcess.run(["audit", "--audit-log", auditLog, "-o", "json", "--project", "demo"])
        #expect(audit.stdout.contains("\"action\" : \"gateway set\""), "\(audit)")
        #expect(audit.stdout.contains("SHA256:"), "\(audit)")
        #expect(audit.stdout.contains("operator"), "\(audit)")
        #expect(audit.stdout.contains("\"resourceVersionAfter\" : \""), "\(audit)")
        let attributes = try FileManager.default.attributesOfItem(atPath: auditLog)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test("a viewer's console is read-only and a write key says so")
    func viewerCannotWrite() throws {
        let server = try RunningServer()
        let session = try TmuxSession(
            command: server.interactiveCommand(key: "viewer"), environment: ["LANG": "C.UTF-8", "TERM": "xterm-256color"])
        // The badge is drawn before the projects load: wait for both, so Enter has a row.
        try session.waitFor(timeout: 20, "the read-only project list") { $0.contains("read-only") && $0.contains("Demo project") }
        try session.send("Enter")
        try session.waitFor("Gateway Not Set")
        try session.send("s")
        try session.waitFor("read-only:")
        let shown = try KGateProcess.run(["gateway", "show", "demo", "--workspace", server.folder.workspace])
        #expect(!shown.stdout.contains("NodePort"), "\(shown)")
    }

    @Test("a key limited to other projects does not see demo")
    func projectLimitedKeySeesOnlyItsProjects() throws {
        let server = try RunningServer()
        let limited = try TmuxSession(
            command: server.interactiveCommand(key: "demo-only"), environment: ["LANG": "C.UTF-8", "TERM": "xterm-256color"])
        let all = try TmuxSession(
            command: server.interactiveCommand(key: "operator"), environment: ["LANG": "C.UTF-8", "TERM": "xterm-256color"])
        try all.waitFor("demo", timeout: 20)
        // The same first screen, drawn for the limited key, without the demo project.
        let firstLine = try all.screen().split(separator: "\n").first.map(String.init) ?? ""
        let screen = try limited.waitFor(timeout: 20, "the limited console") { $0.contains(String(firstLine.prefix(12))) }
        #expect(!screen.contains("demo"), "\(screen)")
    }

    @Test("a window change resizes the console")
    func windowChangeResizes() throws {
        let server = try RunningServer()
        let session = try TmuxSession(
            command: server.interactiveCommand(key: "operator"), width: 80, height: 24,
            environment: ["LANG": "C.UTF-8", "TERM": "xterm-256color"])
        try session.waitFor("demo", timeout: 20)
        try session.resize(width: 120, height: 30)
        // The console redraws for the new size: its footer moves to the 30th line.
        try session.waitFor(timeout: 10, "the footer on line 30") { screen in
            let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
            return lines.count >= 30 && lines[29].contains("q quit")
        }
        #expect(!(try session.screen().split(separator: "\n", omittingEmptySubsequences: false)[23].contains("q quit")))
    }

    @Test("a disconnect mid-edit ends the console within a second and the file is whole")
    func disconnectEndsTheConsole() throws {
        let server = try RunningServer()
        var session: TmuxSession? = try TmuxSession(
            command: server.interactiveCommand(key: "operator"), environment: ["LANG": "C.UTF-8", "TERM": "xterm-256color"])
        try session?.waitFor("demo", timeout: 20)
        try session?.send("Enter")
        try session?.waitFor("Gateway Not Set")
        try session?.send("s")
        try session?.waitFor("Access Method")
        let consoles = ProcessTree.children(of: server.server.pid)
        #expect(consoles.count == 1)
        session = nil  // tmux and ssh end: the connection drops
        let deadline = Date().addingTimeInterval(1.5)
        while Date() < deadline, consoles.contains(where: { ProcessProbe.isAlive($0) }) { usleep(20_000) }
        #expect(consoles.allSatisfy { !ProcessProbe.isAlive($0) })
        // The form was never saved, and the workspace still loads whole.
        let shown = try KGateProcess.run(["gateway", "show", "demo", "--workspace", server.folder.workspace])
        #expect(shown.stderr.contains("project demo has no gateway"), "\(shown)")
    }

    @Test("past --max-sessions a console is refused with the reason; an idle console ends after --idle-timeout")
    func sessionLimitAndIdleTimeout() throws {
        let server = try RunningServer(extraArguments: ["--max-sessions", "1", "--idle-timeout", "2"])
        let first = try TmuxSession(
            command: server.interactiveCommand(key: "operator") + "; echo \"ssh exited $?\"",
            environment: ["LANG": "C.UTF-8", "TERM": "xterm-256color"])
        try first.waitFor("demo", timeout: 20)
        let second = try server.ssh(key: "operator", ["-tt"])
        #expect(second.errorText.contains("1 sessions are open, the most this server allows"), "\(second)")
        // No key for 2 s: the first console ends and its ssh exits.
        let started = Date()
        try first.waitFor("ssh exited", timeout: 10)
        #expect(Date().timeIntervalSince(started) < 4)
    }

    @Test("a console that crashes ends its own session only; an unknown TERM falls back to xterm-256color")
    func crashedConsoleLeavesOthersAlone() throws {
        let server = try RunningServer()
        let crashing = try TmuxSession(
            command: server.interactiveCommand(key: "operator") + "; echo \"ssh exited $?\"",
            environment: ["LANG": "C.UTF-8", "TERM": "xterm-256color"])
        try crashing.waitFor("demo", timeout: 20)
        let first = ProcessTree.children(of: server.server.pid)
        let other = try TmuxSession(
            command: server.interactiveCommand(key: "operator"), environment: ["LANG": "C.UTF-8", "TERM": "kgate-no-such-term"])
        try other.waitFor("demo", timeout: 20)
        #expect(first.count == 1)
        for pid in first { kill(pid, SIGKILL) }
        try crashing.waitFor("ssh exited 137", timeout: 5)
        try other.send("Enter")
        try other.waitFor("Gateway Not Set")
    }

    @Test("removing a key from the file ends its open session within a second")
    func removedKeyEndsItsSession() throws {
        let server = try RunningServer()
        let session = try TmuxSession(
            command: server.interactiveCommand(key: "operator") + "; echo \"ssh exited $?\"",
            environment: ["LANG": "C.UTF-8", "TERM": "xterm-256color"])
        try session.waitFor("demo", timeout: 20)
        let consoles = ProcessTree.children(of: server.server.pid)
        #expect(consoles.count == 1)
        try server.folder.write("authorized_keys", server.folder.read("viewer.pub") ?? "")
        let removed = Date()
        try session.waitFor("ssh exited", timeout: 5)
        #expect(Date().timeIntervalSince(removed) < 1.5)
        let deadline = Date().addingTimeInterval(1.5)
        while Date() < deadline, consoles.contains(where: { ProcessProbe.isAlive($0) }) { usleep(20_000) }
        #expect(consoles.allSatisfy { !ProcessProbe.isAlive($0) })
    }
}

/// Children of a process, read from /proc.
enum ProcessTree {
    static func children(of parent: pid_t) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { pid_t($0) }.filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return false }
            // "pid (comm) state ppid ...": the fields after the command's closing parenthesis.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 1 && pid_t(fields[1]) == parent
        }
    }
}
