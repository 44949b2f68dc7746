import ChildProcess
import Foundation
import GatewayStore
import Terminal

#if canImport(Glibc)
    import Glibc
#endif

/// `kgate ssh-server` as a team reaches it: the release `kgate` beside the bench serving
/// the demo workspace on a loopback port, and `sessions` real OpenSSH clients (`ssh -tt`),
/// each on a pseudo-terminal of its own as a person's terminal would be, all at once.
///
/// - memory per idle session: the resident memory of the server and every process under
///   it (a console child per session) once all sessions sit on their first frame, less
///   the server's alone before any session, divided by the sessions;
/// - key to frame: in every session at once, `j`/`k` typed `keys` times; each sample is
///   the time from the key written to the first byte of the redrawn frame at the client
///   (through ssh, the server, the console child and back), the frame drained after.
///
/// Nil when the OpenSSH client is not installed.
struct SSHBench {
    let folder: String
    let sessions: Int
    let keys: Int

    struct Result {
        var idleSessionMB: Double
        var keyToFrame: [Double]
    }

    static let ssh = "/usr/bin/ssh"
    static let keygen = "/usr/bin/ssh-keygen"

    func run() throws -> Result? {
        guard FileManager.default.isExecutableFile(atPath: SSHBench.ssh), FileManager.default.isExecutableFile(atPath: SSHBench.keygen)
        else { return nil }
        let root = "\(folder)/ssh"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try WorkspaceStore(root: "\(root)/workspace").initialize(demo: true)
        var keygen = ChildCommand(SSHBench.keygen, ["-q", "-t", "ed25519", "-N", "", "-C", "bench", "-f", "\(root)/operator"])
        keygen.standardError = .capture
        let made = try ChildProcess.run(keygen, timeout: 30)
        guard made.succeeded else { throw BenchError("ssh-keygen: \(made)") }
        let publicKey = try String(contentsOfFile: "\(root)/operator.pub", encoding: .utf8)
        try Data("role=\"operator\" \(publicKey)".utf8).write(to: URL(fileURLWithPath: "\(root)/authorized_keys"))

        var command = ChildCommand(
            try ProcessFigures.kgateBinary(),
            ["ssh-server", "--workspace", "\(root)/workspace", "--listen", "127.0.0.1:0", "--host-key", "\(root)/host_key",
             "--authorized-keys", "\(root)/authorized_keys", "--max-sessions", "\(sessions)"])
        command.standardOutput = .file("\(root)/server.out")
        command.standardError = .file("\(root)/server.err")
        command.newProcessGroup = true
        let server = try ChildProcess.start(command)
        defer { _ = server.stop(grace: 2) }
        let port = try waitForPort(server, output: "\(root)/server.out")
        let serverAlone = ProcessMemory.residentKB(of: server.pid)

        var clients: [SSHClient] = []
        defer { clients.forEach { $0.stop() } }
        for _ in 0..<sessions {
            clients.append(try SSHClient(port: port, key: "\(root)/operator"))
        }
        // Every console drawn (the seed's project list), then quiet.
        for (index, client) in clients.enumerated() {
            guard client.waitFor("Demo project", seconds: 60) else {
                throw BenchError("session \(index + 1) showed no console within 60 s: \((try? String(contentsOfFile: "\(root)/server.err", encoding: .utf8)) ?? "")")
            }
        }
        for client in clients { client.drain(quietMilliseconds: 300) }
        let consoles = ProcessMemory.descendants(of: server.pid)
        guard consoles.count >= sessions else {
            throw BenchError("\(consoles.count) processes under the server for \(sessions) sessions")
        }
        let withSessions = ([server.pid] + consoles).map(ProcessMemory.residentKB).reduce(0, +)
        let perSession = Double(withSessions - serverAlone) / Double(sessions) / 1024

        let samples = SampleBox()
        let group = DispatchGroup()
        for client in clients {
            group.enter()
            let keys = self.keys
            Thread.detachNewThread {
                let measured = client.keyToFrame(keys: keys)
                samples.add(measured)
                group.leave()
            }
        }
        group.wait()
        for client in clients { client.type("q") }
        return Result(idleSessionMB: perSession, keyToFrame: samples.all)
    }

    /// The port from the server's first line (`listening on 127.0.0.1:PORT`), written once
    /// it listens and its host key is ready.
    private func waitForPort(_ server: ChildProcess, output: String) throws -> Int {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline, server.isRunning {
            let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            if text.contains("fingerprint"), let line = text.split(separator: "\n").first,
                let port = line.split(separator: ":").last.flatMap({ Int($0) })
            {
                return port
            }
            usleep(20_000)
        }
        throw BenchError("kgate ssh-server did not start")
    }
}

/// One `ssh -tt` on a pseudo-terminal of its own (80×24, as the Python script had it).
final class SSHClient: @unchecked Sendable {
    private let terminal: PseudoTerminal
    private let process: ChildProcess

    init(port: Int, key: String) throws {
        guard let terminal = PseudoTerminal(columns: 80, rows: 24) else { throw BenchError("cannot open a pseudo-terminal") }
        self.terminal = terminal
        var command = ChildCommand(
            SSHBench.ssh,
            ["-F", "/dev/null", "-tt", "-p", "\(port)", "-i", key, "-o", "IdentitiesOnly=yes", "-o", "StrictHostKeyChecking=no",
             "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes", "-o", "LogLevel=ERROR", "op@127.0.0.1"],
            environment: ["TERM": "xterm-256color", "LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"])
        command.terminal = terminal.slavePath
        process = try ChildProcess.start(command)
    }

    func waitFor(_ text: String, seconds: Int32) -> Bool {
        terminal.read(until: { $0.contains(text: text) }, timeoutMilliseconds: seconds * 1000, quietMilliseconds: 50)
            .contains(text: text)
    }

    func drain(quietMilliseconds: Int32) {
        _ = terminal.read(until: { _ in true }, timeoutMilliseconds: quietMilliseconds, quietMilliseconds: quietMilliseconds)
    }

    func type(_ text: String) { terminal.type(text) }

    /// `keys` moves, `j` and `k` in turn: ms from each key written to the frame's first byte.
    func keyToFrame(keys: Int) -> [Double] {
        var samples: [Double] = []
        for index in 0..<keys {
            let start = ContinuousClock.now
            terminal.type(index % 2 == 0 ? "j" : "k")
            var descriptor = pollfd(fd: terminal.master, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 5000) > 0 else { continue }
            samples.append((ContinuousClock.now - start).milliseconds)
            // The rest of the frame, so that the next key starts from a quiet screen.
            drain(quietMilliseconds: 30)
        }
        return samples
    }

    func stop() { _ = process.stop(grace: 1) }
}

private final class SampleBox: @unchecked Sendable {
    private let lock = NSLock()
    private var samples: [Double] = []

    func add(_ more: [Double]) { lock.withLock { samples += more } }
    var all: [Double] { lock.withLock { samples } }
}

/// Resident memory from /proc, and the processes under one.
enum ProcessMemory {
    /// `VmRSS` in kB; 0 for a process that is gone.
    static func residentKB(of pid: pid_t) -> Int {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    /// Every process whose parent chain leads to `pid`.
    static func descendants(of pid: pid_t) -> [pid_t] {
        var parents: [pid_t: pid_t] = [:]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let child = pid_t(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            // "pid (comm) state ppid …": the fields after the command's closing parenthesis.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, let parent = pid_t(fields[1]) { parents[child] = parent }
        }
        return parents.keys.filter { candidate in
            var current = parents[candidate]
            var steps = 0
            while let parent = current, steps < 64 {
                if parent == pid { return true }
                current = parents[parent]
                steps += 1
            }
            return false
        }.sorted()
    }
}

extension SSHBench {
    /// The SSH figures (`ssh_idle_session_mb`, `ssh_key_to_frame_p99_ms`) with 32 sessions;
    /// none when the OpenSSH client is missing.
    static func figures(folder: String) throws -> [Figure] {
        guard let result = try SSHBench(folder: folder, sessions: 32, keys: 40).run() else { return [] }
        return [
            Figure(key: "ssh_idle_session_mb", label: "memory per idle SSH session (server + console)", value: result.idleSessionMB, unit: "MB", target: .infinity),
            Figure(key: "ssh_key_to_frame_p50_ms", label: "key to frame p50 over SSH, 32 sessions", value: percentile(result.keyToFrame, 50), unit: "ms", target: .infinity),
            Figure(key: "ssh_key_to_frame_p99_ms", label: "key to frame p99 over SSH, 32 sessions", value: percentile(result.keyToFrame, 99), unit: "ms", target: .infinity),
        ]
    }
}
