import Foundation
import GatewayKit
import GatewayRuntime
import TestSupport
import Testing

/// `kgate serve` follows a change of endpoints within a second, without failing a
/// request while it switches: nginx reloads gracefully, and old workers finish what
/// they have. Prints the figures (change to served, per change) for the report.
@Suite(.enabled(if: NginxBinary.locate() != nil, "nginx is not installed"), .serialized)
struct EndpointChangeTests {
    /// Requests in a loop on a thread of its own, counting answers that are not 200.
    final class Load: @unchecked Sendable {
        private let lock = NSLock()
        private var running = true
        private var sent = 0
        private var failures: [String] = []
        private let done = DispatchSemaphore(value: 0)

        init(port: Int, host: String) {
            Thread {
                while self.isRunning {
                    let answer = try? LoopbackHTTP.get(port: port, host: host, path: "/")
                    self.record(answer.map { $0.status == 200 ? nil : "status \($0.status)" } ?? "no answer")
                }
                self.done.signal()
            }.start()
        }

        private var isRunning: Bool { lock.withLock { running } }
        private func record(_ failure: String?) { lock.withLock { sent += 1; if let failure { failures.append(failure) } } }

        /// Stops the loop and waits for its last request.
        func finish() -> (sent: Int, failures: [String]) {
            lock.withLock { running = false }
            done.wait()
            return lock.withLock { (sent, failures) }
        }
    }

    @Test func anEndpointChangeIsServedWithinASecondWithoutFailedRequests() throws {
        let setup = try ServeWorkspace("kgate-endpoints")
        let ports = try LoopbackHTTP.freePorts(2)
        let backends = [try NamedBackend(name: "blue", port: ports[0]), try NamedBackend(name: "green", port: ports[1])]
        defer { backends.forEach { $0.stop() } }
        try setup.apply([
            ServeWorkspace.slice("demo", "web", port: ports[0]),
            .route(
                Route(
                    metadata: ObjectMeta(name: "switch", namespace: "demo"),
                    rules: [RouteRule(host: "switch.test", paths: [RoutePath(path: "/", pathType: .prefix, backend: RouteBackend(service: "web", port: 8080))])])),
        ])
        let gateway = try setup.setGateway("demo")
        let serve = try setup.serve(["--project", "demo"])
        defer { serve.stop() }
        try #require(serve.waitForOutput("Ctrl-C stops it", seconds: 30), "\(serve.output)")
        try #require(try LoopbackHTTP.get(port: gateway.http, host: "switch.test", path: "/").body.hasPrefix("backend=blue "))

        let load = Load(port: gateway.http, host: "switch.test")
        var seconds: [Double] = []
        for change in 0..<6 {
            let target = backends[(change + 1) % 2]
            let started = Date()
            try setup.apply([ServeWorkspace.slice("demo", "web", port: target.port)])
            let deadline = started.addingTimeInterval(5)
            while try !LoopbackHTTP.get(port: gateway.http, host: "switch.test", path: "/").body.hasPrefix("backend=\(target.name) "),
                Date() < deadline
            {
                usleep(5_000)
            }
            seconds.append(Date().timeIntervalSince(started))
        }
        let result = load.finish()
        print("endpoint change to served (s): \(seconds.map { String(format: "%.3f", $0) }.joined(separator: " ")); requests during changes: \(result.sent), failed: \(result.failures.count)")
        #expect(seconds.allSatisfy { $0 < 1 }, "\(seconds)")
        #expect(result.failures.isEmpty, "\(result.failures.prefix(5))")
        #expect(result.sent > 0)
    }
}
