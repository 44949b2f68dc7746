/// Turns access records into `kgate gateway traffic`'s report: per route path (route,
/// host, path) and for the requests no route claimed, over a window that ends `now`.
///
/// - requests/s is the count divided by the window's length in seconds (not by the time
///   between the first and last request), so that a quiet route reads as quiet;
/// - latency is nginx's `$request_time` in milliseconds, percentiles exact by the
///   nearest-rank method: the p-th percentile of n sorted values is the value at rank
///   ⌈p/100 · n⌉ (1-based), so it is always a latency that was measured;
/// - status classes count 2xx, 3xx, 4xx (nginx's 444 and 499 among them) and 5xx;
///   a 1xx answer counts as a request only.
///
///     let report = TrafficAggregator.report(project: "demo", records: records, window: .seconds(300), now: now)
public enum TrafficAggregator {
    public static func report(project: String, records: [AccessRecord], window: Duration, now: Double) -> TrafficReport {
        let seconds = max(1, Int(window.components.seconds))
        let start = now - Double(seconds)
        var groups: [RouteKey: Group] = [:]
        var unmatched = UnmatchedTraffic(requests: 0, status: StatusClasses())
        for record in records where record.time > start && record.time <= now {
            if record.route.isEmpty {
                unmatched.requests += 1
                unmatched.status.count(record.status)
            } else {
                groups[RouteKey(route: record.route, host: record.host, path: record.path), default: Group()].add(record)
            }
        }
        let routes = groups.keys.sorted().map { key in
            let group = groups[key] ?? Group()
            return RouteTraffic(
                route: key.route, host: key.host, path: key.path, requests: group.latencies.count,
                ratePerSecond: Double(group.latencies.count) / Double(seconds), status: group.status,
                latencyMs: percentiles(group.latencies))
        }
        return TrafficReport(project: project, windowSeconds: seconds, routes: routes, unmatched: unmatched)
    }

    /// One route path's requests: their classes and latencies (ms, to the microsecond).
    struct Group {
        var status = StatusClasses()
        var latencies: [Double] = []

        mutating func add(_ record: AccessRecord) {
            status.count(record.status)
            latencies.append((record.requestSeconds * 1_000_000).rounded() / 1000)
        }
    }

    /// p50, p95 and p99 by nearest rank; nil each when `values` is empty.
    public static func percentiles(_ values: [Double]) -> LatencyPercentiles {
        guard !values.isEmpty else { return LatencyPercentiles() }
        let sorted = values.sorted()
        func rank(_ p: Double) -> Double {
            let index = Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1
            return sorted[min(max(index, 0), sorted.count - 1)]
        }
        return LatencyPercentiles(p50: rank(50), p95: rank(95), p99: rank(99))
    }

    struct RouteKey: Hashable, Comparable {
        var route: String
        var host: String
        var path: String

        static func < (a: RouteKey, b: RouteKey) -> Bool { (a.host, a.path, a.route) < (b.host, b.path, b.route) }
    }
}

extension StatusClasses {
    /// Adds `times` responses with HTTP status `code` to its class.
    public mutating func count(_ code: Int, times: Int = 1) {
        switch code {
        case 200..<300: success += times
        case 300..<400: redirect += times
        case 400..<500: clientError += times
        case 500..<600: serverError += times
        default: break
        }
    }
}
