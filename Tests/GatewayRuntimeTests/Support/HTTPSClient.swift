import ChildProcess
import Foundation

/// HTTPS to the gateway on loopback through `curl`, with SNI set to the host (curl's
/// `--resolve`) and verification off (`-k`): what answered, and the subject of the
/// certificate nginx presented, so that a test can tell which certificate SNI picked.
enum HTTPSClient {
    static var curlPath: String? {
        ["/usr/bin/curl", "/usr/local/bin/curl"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    struct Answer {
        /// nil when no TLS session was made (the handshake was refused).
        var status: Int?
        var body: String
        /// `CN=foo.bar.com`, as curl reports the server certificate's subject.
        var subject: String?
    }

    static func get(port: Int, host: String, path: String) throws -> Answer {
        var command = ChildCommand(curlPath ?? "/usr/bin/curl", [
            "-sS", "-k", "-v", "--max-time", "5", "--resolve", "\(host):\(port):127.0.0.1",
            "-w", "\n%{http_code}", "https://\(host):\(port)\(path)",
        ])
        command.standardOutput = .capture
        command.standardError = .capture
        let outcome = try ChildProcess.run(command, timeout: 30)
        let subject = outcome.errorText.split(separator: "\n").first { $0.contains("subject:") }.map { line in
            String(line.split(separator: "subject:", maxSplits: 1).last ?? "").trimmingCharacters(in: .whitespaces)
        }
        guard outcome.succeeded else { return Answer(status: nil, body: outcome.errorText, subject: subject) }
        var lines = outcome.outputText.split(separator: "\n", omittingEmptySubsequences: false)
        let status = lines.popLast().flatMap { Int($0) }
        return Answer(status: status, body: lines.joined(separator: "\n"), subject: subject)
    }
}
