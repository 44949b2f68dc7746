import ChildProcess
import Foundation
import Glibc
import TestSupport

/// The built `kgate ssh-server` on a free loopback port with the demo workspace, a viewer,
/// an operator and a demo-only key, and the real OpenSSH client to reach it. The server
/// is stopped when the value is dropped, whether the test passed or not.
final class RunningServer: @unchecked Sendable {
    let folder: TemporaryFolder
    let server: ChildProcess
    let port: Int
    let hostFingerprint: String

    init(extraArguments: [String] = []) throws {
        folder = try TemporaryFolder.withDemoWorkspace("kgate-ssh")
        for name in ["viewer", "operator", "demo-only", "stranger"] {
            try Self.checked(["/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", folder.file(name)])
        }
        try folder.write(
            "authorized_keys",
            """
            # the team
            \(folder.read("viewer.pub") ?? "")\
            role="operator" \(folder.read("operator.pub") ?? "")\
            role="operator",projects="shop" \(folder.read("demo-only.pub") ?? "")
            """)
        var command = ChildCommand(
            KGateProcess.binary,
            ["ssh-server", "--workspace", folder.workspace, "--listen", "127.0.0.1:0", "--host-key", folder.file("host_key"),
             "--authorized-keys", folder.file("authorized_keys")] + extraArguments)
        command.standardOutput = .file(folder.file("server.out"))
        command.standardError = .file(folder.file("server.err"))
        command.newProcessGroup = true
        server = try ChildProcess.start(command)
        let deadline = Date().addingTimeInterval(30)
        var output = ""
        while Date() < deadline, server.isRunning {
            output = folder.read("server.out") ?? ""
            if output.contains("fingerprint") { break }
            usleep(20_000)
        }
        guard let portText = output.split(separator: "\n").first?.split(separator: ":").last, let port = Int(portText),
            let fingerprint = output.split(separator: " ").last
        else {
            server.stop(grace: 1)
            throw KGateProcess.Failure("ssh-server did not start:\n\(output)\n\(folder.read("server.err") ?? "")")
        }
        self.port = port
        self.hostFingerprint = fingerprint.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    deinit { server.stop(grace: 1) }

    /// `ssh` with the test's key, no host key checks and no config of the machine's.
    func sshCommand(key: String, _ extra: [String] = []) -> [String] {
        ["/usr/bin/ssh", "-F", "/dev/null", "-p", "\(port)", "-i", folder.file(key), "-o", "IdentitiesOnly=yes",
         "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes",
         "-o", "LogLevel=ERROR"] + extra + ["op@127.0.0.1"]
    }

    /// Runs `ssh` to the end (at most 30 s), for what needs no terminal.
    func ssh(key: String, _ extra: [String] = [], remoteCommand: [String] = []) throws -> ChildProcess.Outcome {
        var command = ChildCommand(sshCommand(key: key, extra)[0], Array(sshCommand(key: key, extra).dropFirst()) + remoteCommand)
        command.standardOutput = .capture
        command.standardError = .capture
        return try ChildProcess.run(command, timeout: 30)
    }

    /// A shell line for tmux: `ssh -tt` with `key` into the console.
    func interactiveCommand(key: String) -> String {
        (sshCommand(key: key, ["-tt"])).map { "'\($0)'" }.joined(separator: " ")
    }

    private static func checked(_ arguments: [String]) throws {
        var command = ChildCommand(arguments[0], Array(arguments.dropFirst()))
        command.standardError = .capture
        let outcome = try ChildProcess.run(command, timeout: 30)
        guard outcome.succeeded else { throw KGateProcess.Failure("\(arguments.joined(separator: " ")): \(outcome)") }
    }
}
