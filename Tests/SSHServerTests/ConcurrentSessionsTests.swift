import Foundation
import Glibc
import Testing
import TestSupport

/// 32 consoles at once over OpenSSH, each driven on its own: no screen shows another's
/// keys, and the server's own memory stays bounded.
@Suite("32 concurrent SSH sessions", .serialized)
struct ConcurrentSessionsTests {
    @Test func thirtyTwoSessionsEachDriveTheirOwnConsole() throws {
        let server = try RunningServer()
        var sessions: [TmuxSession] = []
        for _ in 0..<32 {
            sessions.append(
                try TmuxSession(
                    command: server.interactiveCommand(key: "operator"),
                    environment: ["LANG": "C.UTF-8", "TERM": "xterm-256color"]))
        }
        for session in sessions { try session.waitFor("demo", timeout: 60) }
        #expect(ProcessTree.children(of: server.server.pid).count == 32)
        // Even sessions open demo's Internet Access; odd ones its routes.
        for (index, session) in sessions.enumerated() { try session.send(index % 2 == 0 ? "Enter" : "r") }
        for (index, session) in sessions.enumerated() {
            if index % 2 == 0 {
                try session.waitFor("Gateway Not Set", timeout: 30)
            } else {
                let screen = try session.waitFor("demo.kubesphere.io", timeout: 30)
                #expect(!screen.contains("Gateway Not Set"), "session \(index) shows another's screen:\n\(screen)")
            }
        }
        let serverMemory = ProcessMemory.residentKilobytes(server.server.pid)
        let consoles = ProcessTree.children(of: server.server.pid)
        let perConsole = consoles.map(ProcessMemory.residentKilobytes).reduce(0, +) / max(consoles.count, 1)
        print("ssh-server resident: \(serverMemory) KiB with 32 sessions; each console child: \(perConsole) KiB")
        #expect(serverMemory < 256 * 1024)
    }
}

enum ProcessMemory {
    /// VmRSS from /proc, in KiB (0 when the process is gone).
    static func residentKilobytes(_ pid: pid_t) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }
}
