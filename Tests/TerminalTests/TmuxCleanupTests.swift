import ChildProcess
import Foundation
import Glibc
import Testing
import TestSupport

/// Issue 8 item 2: the tmux servers tests start are gone after them, and answer SIGTERM
/// (they used to inherit a blocked mask, ignore it, and pile up run after run).
@Suite("Tests leave nothing running")
struct TmuxCleanupTests {
    /// The console on a demo workspace with `TERM=term`, its exit status echoed; wide, so
    /// that a message stays on one line. The folder lives as long as the session is used.
    private func console(term: String) throws -> (TmuxSession, TemporaryFolder) {
        let folder = try TemporaryFolder.withDemoWorkspace("term")
        let session = try TmuxSession(
            command: "TERM=\(term) \(KGateProcess.binary) --workspace \(folder.workspace); echo \"kgate exited $?\"",
            width: 200, environment: ["LANG": "C.UTF-8"])
        return (session, folder)
    }

    @Test("a session's tmux server ends when the session is dropped, even by a failing test")
    func serverEndsWithTheSession() throws {
        var session: TmuxSession? = try TmuxSession(command: "sleep 300")
        let server = try #require(session?.serverPID)
        #expect(ProcessProbe.isAlive(server))
        session = nil
        #expect(ProcessProbe.waitUntilGone(server, seconds: 10), "tmux server \(server) outlived its session")
        // Reaped, not a zombie waiting for PID 1: the server was this process's own child.
        #expect(!FileManager.default.fileExists(atPath: "/proc/\(server)"), "tmux server \(server) left a zombie")
    }

    @Test("a tmux server started by a test obeys SIGTERM, as it would in a shell")
    func serverObeysSIGTERM() throws {
        let session = try TmuxSession(command: "sleep 300")
        let status = try String(contentsOfFile: "/proc/\(session.serverPID)/status", encoding: .utf8)
        let blocked = status.split(separator: "\n").first { $0.hasPrefix("SigBlk:") }
        let mask = blocked.flatMap { UInt64($0.dropFirst("SigBlk:".count).trimmingCharacters(in: .whitespaces), radix: 16) }
        #expect(mask.map { $0 & UInt64(1) << (SIGTERM - 1) } == 0, "SIGTERM blocked: \(blocked ?? "")")
        kill(session.serverPID, SIGTERM)
        #expect(ProcessProbe.waitUntilGone(session.serverPID, seconds: 5), "SIGTERM was not obeyed")
    }

    @Test("TERM=dumb: the console refuses with a reason and exit status 1, not a blank screen")
    func dumbTerminalIsRefused() throws {
        let (session, folder) = try console(term: "dumb")
        let screen = try session.waitFor("kgate exited")
        withExtendedLifetime(folder) {}
        #expect(screen.contains("error: the terminal type 'dumb' cannot move the cursor"), "\(screen)")
        #expect(screen.contains("kgate exited 1"), "\(screen)")
    }

    @Test("an unknown xterm-* runs the console as xterm-256color and says so when it leaves")
    func unknownXtermRuns() throws {
        let (session, folder) = try console(term: "xterm-kgate-unknown")
        try session.waitFor("Projects")
        try session.send("q")
        let screen = try session.waitFor("kgate exited")
        withExtendedLifetime(folder) {}
        #expect(screen.contains("kgate: TERM=xterm-kgate-unknown is not in this machine's terminfo; kgate used xterm-256color"), "\(screen)")
        #expect(screen.contains("kgate exited 0"), "\(screen)")
    }
}
