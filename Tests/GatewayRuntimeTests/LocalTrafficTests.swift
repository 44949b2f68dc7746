import Foundation
import GatewayKit
import GatewayRuntime
import TestSupport
import Testing

/// The local gateway's figures against what was really sent: real nginx on loopback, a
/// known mix of requests and statuses, and every count checked exactly.
@Suite(.enabled(if: NginxBinary.locate() != nil, "nginx is not installed"), .serialized)
struct LocalTrafficTests {
    static func inventory() -> Inventory {
        func path(_ path: String, _ type: PathType, _ service: String) -> RoutePath {
            RoutePath(path: path, pathType: type, backend: RouteBackend(service: service, port: 8080))
        }
        return Inventory(
            projects: [Project(name: "shop")],
            services: [BackendService(metadata: ObjectMeta(name: "empty", namespace: "shop"), ports: [ServicePort(name: "http", port: 8080)])],
            routes: [
                Route(
                    metadata: ObjectMeta(name: "store", namespace: "shop", creationTimestamp: "2024-01-01T00:00:00Z"),
                    rules: [RouteRule(host: "shop.example.com", paths: [path("/api", .prefix, "web"), path("/down", .exact, "empty")])]),
                Route(
                    metadata: ObjectMeta(
                        name: "admin", namespace: "shop", annotations: ["nginx.ingress.kubernetes.io/whitelist-source-range": "10.0.0.0/8"],
                        creationTimestamp: "2024-02-01T00:00:00Z"),
                    rules: [RouteRule(host: "shop.example.com", paths: [path("/admin", .prefix, "web")])]),
            ],
            gateways: [Gateway(project: "shop")])
    }

    @Test func countsEveryRequestSentThroughNginxByRoutePathAndStatus() async throws {
        try await LiveGateway.serving(project: "shop", inventory: Self.inventory(), services: ["web"]) { gateway in
            let activity = LocalGatewayActivity(runtimeFolder: gateway.runtimeFolder)
            var sent: [(String, String, Int)] = []
            func send(_ host: String, _ path: String, times: Int, expect status: Int) throws {
                for _ in 0..<times {
                    let response = try LoopbackHTTP.get(port: gateway.httpPort, host: host, path: path)
                    #expect(response.status == status, "\(host)\(path)")
                    sent.append((host, path, response.status))
                }
            }
            // The Prefix path's two locations (`/api` and `/api/`) count as one route path.
            try send("shop.example.com", "/api", times: 3, expect: 200)
            try send("shop.example.com", "/api/items", times: 2, expect: 200)
            try send("shop.example.com", "/api/answer-302", times: 1, expect: 302)
            try send("shop.example.com", "/api/answer-404", times: 2, expect: 404)
            try send("shop.example.com", "/api/answer-500", times: 1, expect: 500)
            try send("shop.example.com", "/down", times: 4, expect: 503)  // no endpoints
            try send("shop.example.com", "/admin/x", times: 2, expect: 403)  // source range
            // No route claims these: an unknown host (the default server), an unknown path.
            try send("unknown.example.com", "/api", times: 3, expect: 404)
            try send("shop.example.com", "/nothing", times: 2, expect: 404)

            // nginx logs a request after answering it: wait until every one is there.
            var report = try await activity.traffic(project: "shop", window: .seconds(300))
            let complete = await eventuallyAsync {
                report = (try? await activity.traffic(project: "shop", window: .seconds(300))) ?? report
                return report.routes.map(\.requests).reduce(report.unmatched.requests, +) >= sent.count
            }
            #expect(complete, "\(report)")
            #expect(report.project == "shop")
            #expect(report.windowSeconds == 300)
            #expect(report.unavailable != nil)  // LiveGateway runs nginx without `kgate serve`
            #expect(report.routes.map { "\($0.route) \($0.host)\($0.path)" } == [
                "shop/admin shop.example.com/admin", "shop/store shop.example.com/api", "shop/store shop.example.com/down",
            ])
            let byPath = Dictionary(uniqueKeysWithValues: report.routes.map { ($0.path, $0) })
            #expect(byPath["/api"]?.requests == 9)
            #expect(byPath["/api"]?.status == StatusClasses(success: 5, redirect: 1, clientError: 2, serverError: 1))
            #expect(byPath["/down"]?.requests == 4)
            #expect(byPath["/down"]?.status == StatusClasses(serverError: 4))
            #expect(byPath["/admin"]?.requests == 2)
            #expect(byPath["/admin"]?.status == StatusClasses(clientError: 2))
            #expect(report.unmatched == UnmatchedTraffic(requests: 5, status: StatusClasses(clientError: 5)))
            #expect(byPath["/api"]?.ratePerSecond == 9.0 / 300)
            let latency = try #require(byPath["/api"]?.latencyMs)
            let (p50, p95, p99) = (try #require(latency.p50), try #require(latency.p95), try #require(latency.p99))
            #expect(0 <= p50 && p50 <= p95 && p95 <= p99 && p99 < 5000)

            // Read incrementally: a second look counts new requests once, old ones not again.
            try send("shop.example.com", "/down", times: 1, expect: 503)
            let counted = await eventuallyAsync {
                report = (try? await activity.traffic(project: "shop", window: .seconds(300))) ?? report
                return report.routes.first { $0.path == "/down" }?.requests == 5
            }
            #expect(counted, "\(report)")
            #expect(report.routes.first { $0.path == "/api" }?.requests == 9)
        }
    }

    @Test func followsTheAccessLogAsNginxWritesIt() async throws {
        try await LiveGateway.serving(project: "shop", inventory: Self.inventory(), services: ["web"]) { gateway in
            let activity = LocalGatewayActivity(runtimeFolder: gateway.runtimeFolder)
            _ = try LoopbackHTTP.get(port: gateway.httpPort, host: "shop.example.com", path: "/api/first")
            #expect(await eventually { ((try? String(contentsOfFile: gateway.runtimeFolder + "/logs/access-shop.log", encoding: .utf8)) ?? "").contains("/api/first") })

            let stream = activity.logs(project: "shop", tail: 1, since: nil, follow: true)
            var iterator = stream.makeAsyncIterator()
            // The last line written so far (nginx's start notice in the error log is older).
            let first = await iterator.next()
            guard case .line(let line)? = first else {
                Issue.record("no line: \(String(describing: first))")
                return
            }
            #expect(line.source == "access")
            #expect(line.text.contains(#""uri":"/api/first""#))

            // A new request reaches the follower soon after nginx writes it (after it answers).
            // The poll is 100 ms: alone, lines arrive 60 ms after the answer (median; p95
            // 106 ms); a test run that starves every thread delays the poller by seconds, so
            // only the fastest of ten is held to the 250 ms, and every line must arrive in order.
            var delays: [Double] = []
            for index in 0..<10 {
                _ = try LoopbackHTTP.get(port: gateway.httpPort, host: "shop.example.com", path: "/api/next-\(index)")
                let answered = Date()
                guard case .line(let next)? = await iterator.next() else {
                    Issue.record("the stream ended")
                    return
                }
                delays.append(Date().timeIntervalSince(answered))
                #expect(next.text.contains("/api/next-\(index)"))
            }
            delays.sort()
            #expect(delays[0] < 0.25, "delays after the answer: \(delays)")
            let health = try await activity.health(project: "shop")
            let local = try #require(health.local)
            #expect(local.masterPID != nil)
            #expect(local.workerPIDs.count == 1)
            #expect(!local.serving)  // no `kgate serve` holds the folder
        }
    }
}
