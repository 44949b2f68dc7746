import ChildProcess
import Foundation
import GatewayKit
import GatewayRuntime
import Testing

/// The demo's certificates: a real pair, named for the hosts that use the Secret, that
/// `openssl` reads and whose key matches.
@Suite(.enabled(if: TestCertificates.opensslPath != nil, "openssl is not installed"))
struct SelfSignedCertificateTests {
    @Test func theDemoSecretsGetPairsForTheirHosts() throws {
        var inventory = Inventory(
            secrets: [TLSSecret(metadata: ObjectMeta(name: "shop-tls", namespace: "shop"), certificate: "cGxhY2Vob2xkZXI=", key: "cGxhY2Vob2xkZXI=")],
            routes: [
                Route(
                    metadata: ObjectMeta(name: "a", namespace: "shop"), rules: [],
                    tls: [RouteTLS(hosts: ["shop.example.com", "*.shop.example.com"], secretName: "shop-tls")])
            ])
        inventory.projects = [Project(name: "shop")]
        let objects = try DemoCertificates.secrets(of: inventory)
        guard case .secret(let secret)? = objects.first, objects.count == 1 else {
            Issue.record("one secret expected: \(objects)")
            return
        }
        let certificate = String(decoding: Data(base64Encoded: secret.certificate) ?? Data(), as: UTF8.self)
        let key = String(decoding: Data(base64Encoded: secret.key) ?? Data(), as: UTF8.self)
        let text = try openssl(["x509", "-noout", "-subject", "-ext", "subjectAltName"], input: certificate)
        #expect(text.contains("CN=shop.example.com") || text.contains("CN = shop.example.com"), "\(text)")
        #expect(text.contains("DNS:shop.example.com, DNS:*.shop.example.com"), "\(text)")
        // The key is the certificate's: both give the same public key.
        #expect(try openssl(["x509", "-noout", "-pubkey"], input: certificate) == openssl(["pkey", "-pubout"], input: key))
    }

    @Test func aCertificateNeedsAHost() {
        #expect(throws: SelfSignedCertificate.Failure.self) { try SelfSignedCertificate.make(hosts: []) }
    }

    private func openssl(_ arguments: [String], input: String) throws -> String {
        var command = ChildCommand(TestCertificates.opensslPath ?? "/usr/bin/openssl", arguments)
        command.standardInput = .bytes(Array(input.utf8))
        command.standardOutput = .capture
        command.standardError = .capture
        let outcome = try ChildProcess.run(command, timeout: 30)
        try #require(outcome.succeeded, "openssl \(arguments): \(outcome.errorText)")
        return outcome.outputText
    }
}
