import Foundation
import GatewayKit
import TestSupport
import Testing

@testable import GatewayRuntime

/// Real nginx (`nginx -t`) accepts what kgate renders, and the runtime writes TLS files
/// with the right modes and leaves out secrets nginx cannot load.
@Suite(.enabled(if: NginxBinary.locate() != nil, "nginx is not installed"))
struct NginxSyntaxTests {
    let nginx = NginxBinary.locate() ?? NginxBinary(path: "/usr/sbin/nginx")

    private func check(_ inventory: Inventory, folder: TemporaryFolder) throws -> String? {
        let layout = NginxLayout(folder: folder.path)
        let files = try RuntimeFiles(layout: layout)
        let plan = try NginxPlan.make(projects: ["web"], inventory: inventory)
        #expect(try files.writeSecrets(plan.secrets, from: inventory).isEmpty || plan.secrets.isEmpty)
        let config = try NginxConfig.render(plan, layout: layout)
        try files.writeConfig(config, to: "nginx.conf")
        return nginx.test(configFile: layout.configFile, layout: layout)
    }

    @Test(.enabled(if: TestCertificates.opensslPath != nil, "openssl is not installed"))
    func acceptsTheSampleWithARealCertificate() throws {
        let folder = try TemporaryFolder("kgate-nginx")
        let pair = try TestCertificates.make(host: "www.example.com")
        let failure = try check(SampleInventory.make(certificate: pair.certificate, key: pair.key), folder: folder)
        #expect(failure == nil)
        let layout = NginxLayout(folder: folder.path)
        let secret = SecretReference(namespace: "web", name: "site-tls")
        let keyMode = try FileManager.default.attributesOfItem(atPath: layout.key(secret))[.posixPermissions] as? Int
        let folderMode = try FileManager.default.attributesOfItem(atPath: layout.tlsFolder)[.posixPermissions] as? Int
        #expect(keyMode == 0o600)
        #expect(folderMode == 0o700)
        // The config names the key file; the key itself is only in that file.
        let config = folder.read("nginx.conf") ?? ""
        #expect(config.contains(layout.key(secret)))
        #expect(!config.contains(pair.key.prefix(40)))
        #expect(!config.contains("PRIVATE KEY"))
    }

    @Test func acceptsEveryPathValidationLetsThrough() throws {
        let folder = try TemporaryFolder("kgate-nginx")
        var inventory = SampleInventory.make()
        inventory.secrets = []
        // ImplementationSpecific paths may hold regex-looking text; each stays a literal prefix.
        let odd = ["/(.*)", "/a|b", "/^x", "/~y", "/a=b", "/@z", "/a*b", "/a?b", "/a,b", "/[x]", "/a%20b", "/中文"]
        let paths = odd.filter { Validate.pathReasons($0, pathType: .implementationSpecific).isEmpty }
        #expect(paths.count >= 8)
        inventory.routes.append(
            SampleInventory.route(
                "odd", created: "2025-01-01T00:00:00Z",
                rules: [RouteRule(host: "odd.example.com", paths: paths.map { SampleInventory.path($0, .implementationSpecific, "site", 80) })]))
        #expect(try check(inventory, folder: folder) == nil)
        let tokens = try NginxTokenizer.tokens(folder.read("nginx.conf") ?? "")
        for path in paths { #expect(tokens.contains(.word(path))) }
    }

    @Test func refusesACertificateThatIsNotOne() throws {
        let folder = try TemporaryFolder("kgate-nginx")
        let fake = Data("-----BEGIN CERTIFICATE-----\nnot one\n-----END CERTIFICATE-----\n".utf8).base64EncodedString()
        let failure = try check(SampleInventory.make(certificate: fake, key: fake), folder: folder)
        // nginx names the file, never its content.
        #expect(failure?.contains("web.site-tls.crt") == true)
        #expect(failure?.contains("not one") == false)
    }
}
