import Foundation
import GatewayKit
import GatewayRuntime
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `kgate serve` against what a careless operator or a hostile workspace brings: planted
/// symlinks, taken ports, a wrong --nginx, --read-only, and annotations it cannot honour.
@Suite(.enabled(if: NginxBinary.locate() != nil, "nginx is not installed"), .serialized)
struct ServeHardeningTests {
    @Test(.enabled(if: TestCertificates.opensslPath != nil, "openssl is not installed"))
    func aPlantedSymlinkIsRefusedAndItsTargetIsUnchanged() throws {
        let setup = try ServeWorkspace("kgate-harden")
        let pair = try TestCertificates.make(host: "shop.example.com")
        try setup.apply([.secret(TLSSecret(metadata: ObjectMeta(name: "shop-tls", namespace: "shop"), certificate: pair.certificate, key: pair.key))])
        _ = try setup.setGateway("shop")
        try setup.folder.write("victim", "precious\n")
        let victim = setup.folder.file("victim")
        let given = setup.folder.file("given")

        // A folder holding a planted link is not kgate's: refused before anything is written.
        try FileManager.default.createDirectory(atPath: "\(given)/tls", withIntermediateDirectories: true)
        try #require(symlink(victim, "\(given)/tls/shop.shop-tls.key") == 0)
        var refused = try serveUntilExit(setup, ["--project", "shop", "--runtime-dir", given])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("refusing \(given): it holds files kgate did not make (tls)"), "\(refused.output)")
        #expect(setup.folder.read("victim") == "precious\n")

        // A folder kgate used before, with a link planted where the key goes.
        try FileManager.default.removeItem(atPath: given)
        let serve = try setup.serve(["--project", "shop", "--runtime-dir", given])
        defer { serve.stop() }
        try #require(serve.waitForOutput("Ctrl-C stops it", seconds: 30), "\(serve.output)")
        let mode = (try FileManager.default.attributesOfItem(atPath: "\(given)/tls/shop.shop-tls.key"))[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(!serve.output.contains("PRIVATE KEY"))
        serve.terminate()
        #expect(serve.wait(seconds: 20) == 0)
        // Key material does not outlive the gateway.
        #expect(!FileManager.default.fileExists(atPath: "\(given)/tls/shop.shop-tls.key"))
        try #require(symlink(victim, "\(given)/tls/shop.shop-tls.key") == 0)
        refused = try serveUntilExit(setup, ["--project", "shop", "--runtime-dir", given])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("refusing \(given)/tls/shop.shop-tls.key: it is a symlink"), "\(refused.output)")
        #expect(setup.folder.read("victim") == "precious\n")

        // A link where the default runtime folder goes.
        let folder = try setup.runtimeFolder("shop")
        try RuntimeLocation.prepare(folder: folder)
        try FileManager.default.createDirectory(atPath: setup.folder.file("elsewhere"), withIntermediateDirectories: false)
        try #require(symlink(setup.folder.file("elsewhere"), folder) == 0)
        refused = try serveUntilExit(setup, ["--project", "shop"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("refusing \(folder): it is a symlink"), "\(refused.output)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: setup.folder.file("elsewhere")).isEmpty)
    }

    @Test func aTakenPortIsReportedBeforeServing() throws {
        let setup = try ServeWorkspace("kgate-harden")
        let ports = try setup.setGateway("demo")
        let holder = try LoopbackHTTP.listeningSocket(port: ports.https)
        defer { close(holder) }
        let result = try serveUntilExit(setup, ["--project", "demo"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("port \(ports.https) on 127.0.0.1 is in use"), "\(result.output)")
        #expect(!result.stdout.contains("serving"))
        #expect(!LoopbackHTTP.canConnectLoopback(ports.http))
    }

    @Test func anNginxThatCannotRunIsNamedWithTheReason() throws {
        let setup = try ServeWorkspace("kgate-harden")
        try setup.folder.write("not-executable", "#!/bin/sh\n")
        for (path, reason) in [
            (setup.folder.file("missing"), "No such file or directory"),
            (setup.folder.file("not-executable"), "Permission denied"),
            (setup.folder.path, "Is a directory"),
        ] {
            let result = try setup.run(["serve", "--project", "shop", "--nginx", path])
            #expect(result.status == 1)
            #expect(result.stderr.contains("cannot run nginx at \(path): \(reason)"), "\(result)")
        }
    }

    @Test func readOnlyServeWritesNothingIntoTheWorkspace() throws {
        let setup = try ServeWorkspace("kgate-harden")
        let before = setup.snapshot()
        let ports = try LoopbackHTTP.freePorts(2)
        let serve = try setup.serve(["--read-only", "--project", "shop", "--http-port", "\(ports[0])", "--https-port", "\(ports[1])"])
        defer { serve.stop() }
        try #require(serve.waitForOutput("Ctrl-C stops it", seconds: 30), "\(serve.output)")
        #expect(FileManager.default.fileExists(atPath: "\(try setup.runtimeFolder("shop"))/nginx.conf"))
        serve.terminate()
        #expect(serve.wait(seconds: 20) == 0)
        #expect(setup.snapshot() == before)
    }

    /// Starts serve and waits for it to end (it is expected to refuse); stops it if not.
    private func serveUntilExit(_ setup: ServeWorkspace, _ arguments: [String]) throws -> (status: Int32?, stdout: String, stderr: String, output: String) {
        let serve = try setup.serve(arguments)
        defer { serve.stop() }
        let status = serve.wait(seconds: 30)
        return (status, serve.stdout, serve.stderr, serve.output)
    }
}
