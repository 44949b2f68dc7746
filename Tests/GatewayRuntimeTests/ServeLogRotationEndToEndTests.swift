import Foundation
import GatewayKit
import GatewayRuntime
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `kgate serve` rotates the logs it has nginx write: the built binary, real nginx, real
/// requests on loopback. The traffic counts stay exact across the rotation, for a reader
/// that started before it and for one that starts after.
@Suite(.enabled(if: NginxBinary.locate() != nil, "nginx is not installed"), .serialized)
struct ServeLogRotationEndToEndTests {
    @Test func rotatesTheAccessLogAndNginxKeepsLoggingWithExactCounts() async throws {
        let setup = try ServeWorkspace("kgate-rotate")
        let (http, _) = try setup.setGateway("demo")
        let echoPort = try LoopbackHTTP.freePorts(1)[0]
        try setup.apply(ServeWorkspace.echoRoute(port: echoPort))
        let echo = try NamedBackend(name: "echo", port: echoPort)
        defer { echo.stop() }
        // A JSON access line is about 200 bytes: a dozen requests pass 2 KiB.
        let serve = try setup.serve(["--project", "demo", "--rotate-logs-at", "2KiB"])
        defer { serve.stop() }
        try #require(serve.waitForOutput("Ctrl-C stops it", seconds: 30), "kgate serve did not start\n\(serve.output)")
        let accessLog = NginxLayout(folder: try setup.runtimeFolder("demo")).accessLog(project: "demo")
        let activity = LocalGatewayActivity(workspace: setup.workspace, environment: setup.environment)

        // Before: 12 answered, 2 unmatched. The reader that stays reads them first.
        for _ in 0..<12 { #expect(try LoopbackHTTP.get(port: http, host: "echo.example.com", path: "/a").status == 200) }
        for _ in 0..<2 { #expect(try LoopbackHTTP.get(port: http, host: "nobody.example.com", path: "/").status == 404) }
        var report: TrafficReport?
        #expect(await eventuallyAsync {
            report = try? await activity.traffic(project: "demo", window: .seconds(300))
            return report.map(Self.total) == 14
        }, "\(String(describing: report))")

        // Rotated within the check interval: the old lines in .1, a new file in place.
        #expect(await eventually { FileManager.default.fileExists(atPath: accessLog + ".1") }, "\(serve.output)")
        #expect(await eventually { serve.stderr.contains("rotated logs/access-demo.log to access-demo.log.1") }, "\(serve.output)")
        // After: nginx writes into the renamed file until it has reopened its logs, then
        // into the new one; both readers count every request once.
        func lines(_ path: String) -> [Substring] { ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n") }
        var sent = 0
        #expect(await eventually {
            sent += (try? LoopbackHTTP.get(port: http, host: "echo.example.com", path: "/b").status) == 200 ? 1 : 0
            return !lines(accessLog).isEmpty
        }, "nginx did not log into the new file\n\(serve.output)")
        #expect(try LoopbackHTTP.get(port: http, host: "echo.example.com", path: "/c").status == 200)
        // Logged once, by a new worker into the new file or, as root (where the reopen is a
        // graceful SIGHUP reload), by an old worker still finishing into the renamed one.
        #expect(await eventually { (lines(accessLog) + lines(accessLog + ".1")).contains { $0.contains(#""uri":"/c""#) } }, "\(lines(accessLog))")
        // Every request in one file or the other (a check may have come in the middle of the first dozen).
        #expect(lines(accessLog + ".1").count >= 10 && lines(accessLog + ".1").count + lines(accessLog).count == 15 + sent)
        #expect(await eventuallyAsync {
            report = try? await activity.traffic(project: "demo", window: .seconds(300))
            return report.map(Self.total) == 15 + sent
        }, "\(String(describing: report))")
        #expect(report?.routes.first?.requests == 13 + sent && report?.unmatched.requests == 2, "\(String(describing: report))")
        let json = try setup.kgate(["gateway", "traffic", "demo", "-o", "json"]).stdout
        let fresh = try JSONDecoder().decode(TrafficReport.self, from: Data(json.utf8))
        #expect(fresh.routes.map(\.requests) == [13 + sent] && fresh.unmatched.requests == 2, "\(json)")
        #expect(fresh.routes.first?.status == StatusClasses(success: 13 + sent))
    }

    @Test func refusesASizeItCannotRead() throws {
        let setup = try ServeWorkspace("kgate-rotate")
        for size in ["64MB", "0", "12", "x"] {
            let result = try setup.run(["serve", "--project", "demo", "--rotate-logs-at", size])
            #expect(result.status == 2 && result.stderr.contains("--rotate-logs-at \(size)"), "\(result)")
        }
    }

    private static func total(_ report: TrafficReport) -> Int { report.routes.map(\.requests).reduce(report.unmatched.requests, +) }
}
