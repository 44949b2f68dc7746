import ChildProcess
import Foundation
import TestSupport

/// A throwaway PKI for the TLS tests, made by the `openssl` command-line tool in a
/// temporary folder: a CA, a server certificate for 127.0.0.1 / localhost and a client
/// certificate, both signed by the CA.
///
/// The tool is driven through explicit config files (`-config`, `-extfile`) so that the
/// system's openssl.cnf cannot add or clash with extensions. P-256 keys keep it fast.
/// Files are written as PEM; the keys are never printed, and openssl's own output goes to
/// a log file that only a failure message quotes (openssl does not echo keys there).
final class TestCertificates: Sendable {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The user name the test API server maps the client certificate to.
    static let clientUser = "tls-tester"

    private let folder: TemporaryFolder
    var caPath: String { folder.file("ca.crt") }
    var serverCertificatePath: String { folder.file("server.crt") }
    var serverKeyPath: String { folder.file("server.key") }
    var clientCertificatePath: String { folder.file("client.crt") }
    var clientKeyPath: String { folder.file("client.key") }

    /// The server certificate's subjectAltName, as openssl writes it.
    private let serverNames: String

    private init(folder: TemporaryFolder, serverNames: String) {
        self.folder = folder
        self.serverNames = serverNames
    }

    /// One PKI for every test that only needs a trusted HTTPS server: made once per run.
    static let shared = Result { try TestCertificates.make() }

    /// `serverNames`: whom the server certificate is for (another name than the address
    /// the server listens on tests `tls-server-name`).
    static func make(serverNames: String = "IP:127.0.0.1,DNS:localhost") throws -> TestCertificates {
        let certificates = TestCertificates(folder: try TemporaryFolder("kgate-pki"), serverNames: serverNames)
        try certificates.generate()
        return certificates
    }

    /// The bytes of a file this PKI wrote.
    func contents(_ path: String) throws -> Data {
        guard let data = FileManager.default.contents(atPath: path) else { throw Failure(description: "cannot read \(path)") }
        return data
    }

    private func generate() throws {
        try folder.write("ca.cnf", Self.config(commonName: "kgate test CA", extensions: [
            "basicConstraints = critical,CA:TRUE", "keyUsage = critical,keyCertSign,cRLSign", "subjectKeyIdentifier = hash",
        ]))
        try folder.write("server.cnf", Self.config(commonName: "localhost", extensions: [
            "basicConstraints = CA:FALSE", "keyUsage = critical,digitalSignature", "extendedKeyUsage = serverAuth",
            "subjectAltName = \(serverNames)",
        ]))
        try folder.write("client.cnf", Self.config(commonName: Self.clientUser, extensions: [
            "basicConstraints = CA:FALSE", "keyUsage = critical,digitalSignature", "extendedKeyUsage = clientAuth",
        ]))
        let key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try openssl(["req", "-x509", "-config", folder.file("ca.cnf"), "-extensions", "ext", "-days", "2"]
            + key + ["-keyout", folder.file("ca.key"), "-out", caPath])
        try sign("server", serial: "2", keyPath: serverKeyPath, certificatePath: serverCertificatePath, key: key)
        try sign("client", serial: "3", keyPath: clientKeyPath, certificatePath: clientCertificatePath, key: key)
    }

    /// A key and request from `<name>.cnf`, then the CA's signature with that file's extensions.
    private func sign(_ name: String, serial: String, keyPath: String, certificatePath: String, key: [String]) throws {
        let config = folder.file("\(name).cnf")
        let request = folder.file("\(name).csr")
        try openssl(["req", "-new", "-config", config] + key + ["-keyout", keyPath, "-out", request])
        try openssl([
            "x509", "-req", "-in", request, "-CA", caPath, "-CAkey", folder.file("ca.key"), "-set_serial", serial,
            "-days", "2", "-extfile", config, "-extensions", "ext", "-out", certificatePath,
        ])
    }

    private static func config(commonName: String, extensions: [String]) -> String {
        (["[req]", "prompt = no", "distinguished_name = dn", "[dn]", "CN = \(commonName)", "[ext]"] + extensions)
            .joined(separator: "\n") + "\n"
    }

    /// Runs openssl with `arguments` (no shell) and waits, at most 30 seconds, for it to exit.
    private func openssl(_ arguments: [String]) throws {
        var command = ChildCommand(try Self.opensslPath(), arguments)
        command.standardOutput = .file(folder.file("openssl.log"))
        command.standardError = .file(folder.file("openssl.err"))
        let outcome = try ChildProcess.run(command, timeout: 30)
        guard !outcome.timedOut else {
            throw Failure(description: "openssl \(arguments.first ?? "") did not finish within 30 s")
        }
        guard outcome.succeeded else {
            throw Failure(description: "openssl \(arguments.joined(separator: " ")) \(outcome.termination.map(\.description) ?? ""): \(folder.read("openssl.err") ?? "")")
        }
    }

    /// `openssl` on PATH, as CI installs it.
    private static func opensslPath() throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(directory)/openssl") {
            return "\(directory)/openssl"
        }
        throw Failure(description: "the openssl command is not on PATH")
    }
}
