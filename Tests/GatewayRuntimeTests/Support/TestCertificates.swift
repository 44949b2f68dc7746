import ChildProcess
import Foundation
import TestSupport

/// A throwaway self-signed certificate and key made by `openssl` for one test run, base64
/// as a Secret holds them. Test material only; nothing real is ever on disk in the repo.
enum TestCertificates {
    static var opensslPath: String? {
        ["/usr/bin/openssl", "/usr/local/bin/openssl"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func make(host: String) throws -> (certificate: String, key: String) {
        let folder = try TemporaryFolder("kgate-cert")
        var command = ChildCommand(opensslPath ?? "/usr/bin/openssl", [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=\(host)",
            "-keyout", folder.file("tls.key"), "-out", folder.file("tls.crt"),
        ])
        command.standardError = .capture
        let outcome = try ChildProcess.run(command, timeout: 60)
        guard outcome.succeeded else { throw KGateProcess.Failure("openssl req failed: \(outcome)") }
        let certificate = FileManager.default.contents(atPath: folder.file("tls.crt")) ?? Data()
        let key = FileManager.default.contents(atPath: folder.file("tls.key")) ?? Data()
        return (certificate.base64EncodedString(), key.base64EncodedString())
    }
}
