import Foundation
import GatewayKit
import TestSupport
import Testing

@testable import GatewayRuntime

/// A change is loaded by nginx's own reload, whose verdict kgate reads from the master's
/// lines in the error log instead of running `nginx -t` first.
@Suite("Reload verdicts")
struct ReloadOutcomeTests {
    @Test("the master's lines after a SIGHUP say loaded, refused, or nothing yet; other processes' lines are not read")
    func verdicts() {
        let loaded = """
            2026/12/02 10:26:42 [notice] 2476#2476: signal 1 (SIGHUP) received from 2471, reconfiguring
            2026/12/02 10:26:42 [notice] 2476#2476: reconfiguring
            2026/12/02 10:26:42 [warn] 2476#2476: could not build optimal server_names_hash
            2026/12/02 10:26:42 [notice] 2476#2476: using the "epoll" event method
            2026/12/02 10:26:42 [notice] 2476#2476: start worker processes
            2026/12/02 10:26:42 [notice] 2476#2476: start worker process 2486

            """
        #expect(ReloadOutcome.read(loaded, master: 2476) == .loaded)
        // Another nginx's lines, or a worker's, are not this master's verdict.
        #expect(ReloadOutcome.read(loaded, master: 2486) == nil)
        #expect(ReloadOutcome.read(loaded, master: 247) == nil)
        let pending = "2026/12/02 10:26:46 [notice] 2476#2476: reconfiguring\n"
        #expect(ReloadOutcome.read(pending, master: 2476) == nil)
        // A worker that ends, or one respawned, says nothing of a reload.
        let respawn = "2026/12/02 10:26:46 [notice] 2476#2476: start worker process 2500\n2026/12/02 10:26:46 [emerg] 2500#2500: bad\n"
        #expect(ReloadOutcome.read(respawn, master: 2476) == nil)
        let refused = """
            2026/12/02 10:26:46 [notice] 2476#2476: reconfiguring
            2026/12/02 10:26:46 [emerg] 2476#2476: unknown directive "proxy_set_headerx" in /run/kgate/nginx.conf:9
            """
        #expect(ReloadOutcome.read(refused, master: 2476) == .refused("unknown directive \"proxy_set_headerx\" in /run/kgate/nginx.conf:9"))
        // A busy port is tried five times before nginx gives up: the verdict is the last line.
        let busy = """
            2026/12/02 10:26:46 [emerg] 2476#2476: bind() to 127.0.0.1:30080 failed (98: Address already in use)
            2026/12/02 10:26:47 [emerg] 2476#2476: bind() to 127.0.0.1:30080 failed (98: Address already in use)

            """
        #expect(ReloadOutcome.read(busy, master: 2476) == nil)
        #expect(
            ReloadOutcome.read(busy + "2026/12/02 10:26:48 [emerg] 2476#2476: still could not bind()\n", master: 2476)
                == .refused("bind() to 127.0.0.1:30080 failed (98: Address already in use)"))
        #expect(ReloadOutcome.read("not a log line\n[]\n] 2476#\n", master: 2476) == nil)
    }
}

/// The same verdicts from a real nginx: a change it takes, and one it refuses while the
/// config before it keeps serving.
@Suite(.enabled(if: NginxBinary.locate() != nil, "nginx is not installed"), .serialized)
struct NginxReloadVerdictTests {
    @Test func aRealNginxSaysWhetherItTookAConfig() async throws {
        let inventory = Inventory(
            projects: [Project(name: "web")],
            routes: [IngressMatchingTests.route("kept", rules: [IngressMatchingTests.rule("kept.example.com", "/", "kept")])],
            gateways: [IngressMatchingTests.gateway])
        try await LiveGateway.serving(project: "web", inventory: inventory, services: ["kept"]) { gateway in
            let config = try #require(gateway.config)
            #expect(try await gateway.reload(with: config + "# a change\n") == .loaded)
            let broken = config.replacingOccurrences(of: "worker_connections", with: "worker_connectionz")
            let verdict = try await gateway.reload(with: broken)
            guard case .refused(let reason) = verdict else {
                Issue.record("nginx took a broken config: \(verdict)")
                return
            }
            #expect(reason.contains("unknown directive \"worker_connectionz\""), "\(reason)")
            #expect(try gateway.served(host: "kept.example.com", path: "/") == "kept")
        }
    }
}
