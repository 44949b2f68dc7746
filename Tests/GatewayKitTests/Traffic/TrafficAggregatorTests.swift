import Foundation
import GatewayKit
import Testing

@Suite struct TrafficAggregatorTests {
    private let now = 1_764_658_800.0

    private func record(_ route: String, path: String = "/", status: Int, ms: Double, ago: Double = 1) -> AccessRecord {
        AccessRecord(
            time: now - ago, route: route, host: route.isEmpty ? "" : "shop.example.com", path: route.isEmpty ? "" : path,
            status: status, requestSeconds: ms / 1000)
    }

    @Test func countsEveryRoutePathByStatusClassAndTheUnmatchedApart() {
        let records =
            (0..<6).map { _ in record("shop/store", path: "/api", status: 200, ms: 5) }
            + [record("shop/store", path: "/api", status: 302, ms: 5), record("shop/store", path: "/api", status: 404, ms: 5)]
            + [record("shop/store", path: "/down", status: 503, ms: 1), record("shop/store", path: "/down", status: 101, ms: 1)]
            + [record("", status: 404, ms: 1), record("", status: 404, ms: 1), record("", status: 500, ms: 1)]
        let report = TrafficAggregator.report(project: "shop", records: records, window: .seconds(10), now: now)
        #expect(report.windowSeconds == 10)
        #expect(report.routes.map(\.path) == ["/api", "/down"])
        let api = report.routes[0]
        #expect(api.requests == 8)
        #expect(api.status == StatusClasses(success: 6, redirect: 1, clientError: 1, serverError: 0))
        #expect(api.ratePerSecond == 0.8)
        // A 1xx answer is a request of no class.
        #expect(report.routes[1].requests == 2)
        #expect(report.routes[1].status == StatusClasses(serverError: 1))
        #expect(report.unmatched == UnmatchedTraffic(requests: 3, status: StatusClasses(clientError: 2, serverError: 1)))
    }

    @Test func leavesOutRequestsOutsideTheWindow() {
        let records = [
            record("shop/store", status: 200, ms: 1, ago: 0), record("shop/store", status: 200, ms: 1, ago: 59),
            record("shop/store", status: 200, ms: 1, ago: 60), record("shop/store", status: 200, ms: 1, ago: 600),
            record("shop/store", status: 200, ms: 1, ago: -5),
        ]
        let report = TrafficAggregator.report(project: "shop", records: records, window: .seconds(60), now: now)
        #expect(report.routes.map(\.requests) == [2])
    }

    /// Nearest rank: the p-th percentile of n values is the ⌈p·n/100⌉-th smallest.
    @Test func percentilesAreExactByNearestRank() {
        let values = (1...200).map(Double.init).shuffled()
        let latency = TrafficAggregator.percentiles(values)
        #expect(latency == LatencyPercentiles(p50: 100, p95: 190, p99: 198))
        #expect(TrafficAggregator.percentiles([7]) == LatencyPercentiles(p50: 7, p95: 7, p99: 7))
        #expect(TrafficAggregator.percentiles([1, 2, 3]) == LatencyPercentiles(p50: 2, p95: 3, p99: 3))
        #expect(TrafficAggregator.percentiles([]) == LatencyPercentiles())
    }

    @Test func readsTheLinesNginxWritesAndSkipsOthers() throws {
        let line = #"{"time":"1764658800.125","route":"shop/store","host":"shop.example.com","path":"/api","status":"502","request_time":"0.004","upstream_response_time":"0.001, 0.002","method":"GET","request_host":"x","uri":"/api?q=\"1\""}"#
        let parsed = try #require(AccessRecord(line: line))
        #expect(parsed.time == 1_764_658_800.125)
        #expect(parsed.route == "shop/store")
        #expect(parsed.path == "/api")
        #expect(parsed.status == 502)
        #expect(parsed.requestSeconds == 0.004)
        #expect(parsed.upstreamSeconds == 0.003)
        let unmatched = try #require(AccessRecord(line: #"{"time":"1.5","route":"","host":"","path":"","status":"404","request_time":"0.000","upstream_response_time":""}"#))
        #expect(unmatched.route.isEmpty)
        #expect(unmatched.upstreamSeconds == nil)
        #expect(AccessRecord(line: #"{"time":"1.5","route":"x"#) == nil)
        #expect(AccessRecord(line: "127.0.0.1 - - [02/Dec/2026:07:00:00 +0000] \"GET / HTTP/1.1\" 200") == nil)
    }

    @Test func encodesTheDocumentedJSONShape() throws {
        let report = TrafficReport(
            project: "shop", windowSeconds: 300,
            routes: [
                RouteTraffic(
                    route: "shop/store", host: "shop.example.com", path: "/api", requests: 2, ratePerSecond: 0.5,
                    status: StatusClasses(success: 2), latencyMs: LatencyPercentiles(p50: 1, p95: 2, p99: 2))
            ],
            unmatched: UnmatchedTraffic(requests: 1, status: StatusClasses(clientError: 1)))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = String(decoding: try encoder.encode(report), as: UTF8.self)
        #expect(
            text == #"{"project":"shop","routes":[{"host":"shop.example.com","latencyMs":{"p50":1,"p95":2,"p99":2},"path":"\/api","ratePerSecond":0.5,"requests":2,"route":"shop\/store","status":{"2xx":2,"3xx":0,"4xx":0,"5xx":0}}],"unmatched":{"requests":1,"status":{"2xx":0,"3xx":0,"4xx":1,"5xx":0}},"windowSeconds":300}"#)
    }
}
