import Foundation
import GatewayKit
import GatewayRuntime
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `kgate gateway logs|traffic` and the local gateway's health against a running
/// `kgate serve`: the built binary, real nginx, real requests on loopback.
@Suite(.enabled(if: NginxBinary.locate() != nil, "nginx is not installed"), .serialized)
struct ServeActivityEndToEndTests {
    @Test func trafficLogsAndHealthOfTheGatewayKgateServes() async throws {
        let setup = try ServeWorkspace("kgate-activity")
        let (http, _) = try setup.setGateway("demo")
        let ports = try LoopbackHTTP.freePorts(2)
        let (echoPort, busyPort) = (ports[0], ports[1])
        try setup.apply(ServeWorkspace.echoRoute(port: echoPort))
        let echo = try NamedBackend(name: "echo", port: echoPort)
        defer { echo.stop() }
        let serve = try setup.serve(["--project", "demo"])
        defer { serve.stop() }
        try #require(serve.waitForOutput("Ctrl-C stops it", seconds: 30), "kgate serve did not start\n\(serve.output)")

        // The health any kgate reads from the runtime folder.
        let activity = LocalGatewayActivity(workspace: setup.workspace, environment: setup.environment)
        let health = try await activity.health(project: "demo")
        let local = try #require(health.local)
        #expect(local.serving, "\(health)")
        #expect(local.masterPID != nil && local.workerPIDs.count == 1)
        #expect(local.lastReload != nil && local.lastReloadError == nil)
        #expect(health.unavailable.isEmpty)

        for _ in 0..<3 { #expect(try LoopbackHTTP.get(port: http, host: "echo.example.com", path: "/a").status == 200) }
        for _ in 0..<2 { #expect(try LoopbackHTTP.get(port: http, host: "nobody.example.com", path: "/").status == 404) }

        var json = ""
        var decoded: TrafficReport?
        // nginx logs a request after answering it.
        let counted = await eventually {
            json = (try? setup.kgate(["gateway", "traffic", "demo", "-o", "json"]).stdout) ?? ""
            decoded = try? JSONDecoder().decode(TrafficReport.self, from: Data(json.utf8))
            return decoded.map { $0.routes.map(\.requests).reduce($0.unmatched.requests, +) } == 5
        }
        #expect(counted, "\(json)")
        let report = try #require(decoded)
        #expect(report.project == "demo" && report.windowSeconds == 300 && report.unavailable == nil)
        #expect(report.routes.map { "\($0.route) \($0.host)\($0.path) \($0.requests)" } == ["demo/echo echo.example.com/ 3"])
        #expect(report.routes.first?.status == StatusClasses(success: 3))
        #expect(report.unmatched == UnmatchedTraffic(requests: 2, status: StatusClasses(clientError: 2)))
        let table = try setup.kgate(["gateway", "traffic", "demo", "--window", "1h"]).stdout
        #expect(table.contains("ROUTE") && table.contains("demo/echo") && table.contains("window: 1h"), "\(table)")

        // Logs: the last lines, each named by its file; a hostile line is printed escaped.
        let logs = try setup.kgate(["gateway", "logs", "demo", "--tail", "2"]).stdout
        let printed = logs.split(separator: "\n")
        #expect(printed.count == 2, "\(logs)")
        #expect(printed.allSatisfy { $0.hasPrefix("[access] {") }, "\(logs)")
        let accessLog = NginxLayout(folder: try setup.runtimeFolder("demo"))
            .accessLog(project: "demo")
        let file = try #require(FileHandle(forWritingAtPath: accessLog))
        file.seekToEndOfFile()
        file.write(Data("planted \u{1B}]0;owned\u{07}\u{1B}[2J line\n".utf8))
        try file.close()
        let hostile = try setup.kgate(["gateway", "logs", "demo", "--tail", "1"]).stdout
        #expect(!hostile.contains("\u{1B}") && !hostile.contains("\u{07}"))
        #expect(hostile == "[access] planted \\u{1B}]0;owned\\u{7}\\u{1B}[2J line\n", "\(hostile)")

        // A change nginx cannot take (a port another process holds) is recorded as the last reload error.
        let busy = try LoopbackHTTP.listeningSocket(port: busyPort)
        defer { close(busy) }
        try setup.kgate(["gateway", "set", "demo", "--type", "NodePort", "--http-node-port", "\(busyPort)"])
        var latest = health
        let refused = await eventuallyAsync {
            latest = (try? await activity.health(project: "demo")) ?? latest
            return latest.local?.lastReloadError?.contains("\(busyPort)") == true
        }
        #expect(refused, "\(latest)\n\(serve.output)")
        #expect(latest.local?.serving == true)
    }

    @Test func refusesBadDurationsAndNamesTheFlag() throws {
        let setup = try ServeWorkspace("kgate-activity")
        let window = try setup.run(["gateway", "traffic", "demo", "--window", "5x"])
        #expect(window.status == 2)
        #expect(window.stderr.contains("--window: \"5x\" is not a duration"), "\(window)")
        let since = try setup.run(["gateway", "logs", "demo", "--since", "10"])
        #expect(since.status == 2)
        #expect(since.stderr.contains("--since: \"10\" is not a duration: the number 10 has no unit"), "\(since)")
        let zero = try setup.run(["gateway", "traffic", "demo", "--window", "0s"])
        #expect(zero.status == 2 && zero.stderr.contains("--window: must be longer than 0s"), "\(zero)")
        let tail = try setup.run(["gateway", "logs", "demo", "--tail", "-3"])
        #expect(tail.status == 2 && tail.stderr.contains("--tail"), "\(tail)")
    }

    @Test func saysWhyThereAreNoFiguresWhenServeNeverRan() throws {
        let setup = try ServeWorkspace("kgate-activity")
        let result = try setup.kgate(["gateway", "traffic", "shop", "-o", "json"])
        let report = try JSONDecoder().decode(TrafficReport.self, from: Data(result.stdout.utf8))
        #expect(report.routes.isEmpty)
        #expect(report.unavailable?.contains("kgate serve has not served project shop") == true, "\(result)")
        let logs = try setup.run(["gateway", "logs", "shop"])
        #expect(logs.status == 1 && logs.stderr.contains("kgate serve has not served project shop"), "\(logs)")
    }
}
