import Foundation
import GatewayKit

/// What the test API server answers about a gateway at work: pods (listed by label
/// selector), events (by `involvedObject.name`), each pod's log (`pods/log` with
/// `tailLines` and `sinceTime`), and a Prometheus stand-in behind the service proxy that
/// evaluates the two query shapes kgate sends over known series.
final class TestGatewayActivity: @unchecked Sendable {
    /// A counter's increase over any window, and a histogram's bucket increases.
    struct Series {
        var labels: [String: String]
        var requests: Double = 0
        /// `le` → cumulative count, `+Inf` last.
        var buckets: [(le: Double, count: Double)] = []
    }

    private let lock = NSLock()
    private var pods: [String: [ManifestValue]] = [:]
    private var events: [String: [ManifestValue]] = [:]
    private var podLogs: [String: [String]] = [:]
    private var series: [Series] = []
    private var prometheus = false
    private var queries: [String] = []

    func addPod(_ pod: ManifestValue, namespace: String) { lock.withLock { pods[namespace, default: []].append(pod) } }
    func addEvent(_ event: ManifestValue, namespace: String) { lock.withLock { events[namespace, default: []].append(event) } }
    /// Lines `<RFC 3339 time> <text>`, as the kubelet writes them with `timestamps=true`.
    func appendLog(pod: String, _ lines: [String]) { lock.withLock { podLogs[pod, default: []] += lines } }
    /// Installs the stand-in; without it the proxy path is not found, as without KubeSphere's monitoring.
    func servePrometheus(_ known: [Series]) {
        lock.withLock {
            prometheus = true
            series = known
        }
    }
    var prometheusQueries: [String] { lock.withLock { queries } }

    /// nil for a request that is not about the gateway's activity. `forbidden` holds the
    /// `[verb, resource]` pairs RBAC refuses (`["list", "events"]`, `["get", "pods/log"]`).
    func answer(_ request: TestRequest, forbidden: Set<[String]>) -> TestResponse? {
        let segments = request.path.split(separator: "/").map(String.init)
        guard request.method == "GET", segments.count >= 5, segments[0] == "api", segments[1] == "v1", segments[2] == "namespaces"
        else { return nil }
        let namespace = segments[3]
        let rest = Array(segments.dropFirst(4))
        let access: [String]? = switch rest.first {
        case "pods": rest.count == 1 ? ["list", "pods"] : ["get", "pods/log"]
        case "events": ["list", "events"]
        case "services": ["get", "services/proxy"]
        default: nil
        }
        if let access, forbidden.contains(access) {
            return .failure(TestStatus(
                code: 403, reason: "Forbidden",
                message: "\(access[1]) is forbidden: User \"tester\" cannot \(access[0]) resource \"\(access[1])\" in API group \"\" in the namespace \"\(namespace)\""))
        }
        switch rest {
        case ["pods"]:
            let selector = Self.pairs(request.query["labelSelector"])
            let items = lock.withLock { pods[namespace] ?? [] }.filter { pod in
                selector.allSatisfy { key, value in pod["metadata"]?["labels"]?[key] == .string(value) }
            }
            return .success(.map([ManifestField("kind", .string("PodList")), ManifestField("items", .list(items))]))
        case ["events"]:
            let selector = Self.pairs(request.query["fieldSelector"])
            let items = lock.withLock { events[namespace] ?? [] }.filter { event in
                selector["involvedObject.name"].map { event["involvedObject"]?["name"] == .string($0) } ?? true
            }
            return .success(.map([ManifestField("kind", .string("EventList")), ManifestField("items", .list(items))]))
        case let rest where rest.count == 3 && rest[0] == "pods" && rest[2] == "log":
            guard var lines = lock.withLock({ podLogs[rest[1]] }) else {
                return .failure(TestStatus(code: 404, reason: "NotFound", message: "pods \"\(rest[1])\" not found"))
            }
            if let since = request.query["sinceTime"] { lines = lines.filter { String($0.prefix(while: { $0 != " " })) >= since } }
            if let tail = request.query["tailLines"].flatMap(Int.init) { lines = Array(lines.suffix(tail)) }
            return .json(status: 200, body: lines.map { $0 + "\n" }.joined())
        case ["services", "prometheus-k8s:9090", "proxy", "api", "v1", "query"] where namespace == "kubesphere-monitoring-system":
            guard lock.withLock({ prometheus }) else { return nil }
            let query = request.query["query"] ?? ""
            lock.withLock { queries.append(query) }
            return .json(status: 200, body: JSONEmitter.document(evaluate(query)))
        default:
            return nil
        }
    }

    /// `sum by (labels) (increase(metric{matchers}[w]))` and
    /// `histogram_quantile(q, sum by (labels, le) (rate(metric_bucket{matchers}[w])))`.
    private func evaluate(_ query: String) -> ManifestValue {
        let known = lock.withLock { series }
        let quantile = query.hasPrefix("histogram_quantile(") ? Double(query.dropFirst(19).prefix(while: { $0 != "," })) : nil
        guard let byOpen = query.range(of: "sum by ("), let byClose = query[byOpen.upperBound...].firstIndex(of: ")"),
            let matchOpen = query.firstIndex(of: "{"), let matchClose = query.firstIndex(of: "}")
        else { return Self.failure("cannot parse \(query)") }
        let by = query[byOpen.upperBound..<byClose].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0 != "le" }
        let matchers = Self.matchers(String(query[query.index(after: matchOpen)..<matchClose]))
        let name = String(query[..<matchOpen].reversed().prefix { $0.isLetter || $0.isNumber || $0 == "_" }.reversed())
        let selected = known.filter { one in
            one.labels["__name__"] == name &&
            matchers.allSatisfy { key, op, value in
                let actual = one.labels[key] ?? ""
                return op == "=~" ? actual.range(of: "^(\(value))$", options: .regularExpression) != nil : actual == value
            }
        }
        var groups: [[String: String]: [Series]] = [:]
        for one in selected { groups[one.labels.filter { by.contains($0.key) }, default: []].append(one) }
        let result: [ManifestValue] = groups.sorted { "\($0.key)" < "\($1.key)" }.compactMap { labels, members in
            let value: Double
            if let quantile {
                guard let first = members.first, !first.buckets.isEmpty else { return nil }
                let buckets = first.buckets.indices.map { i in (first.buckets[i].le, members.reduce(0) { $0 + $1.buckets[i].count }) }
                value = Self.histogramQuantile(quantile, buckets)
            } else {
                value = members.reduce(0) { $0 + $1.requests }
            }
            let metric = ManifestValue.map(labels.sorted { $0.key < $1.key }.map { ManifestField($0.key, .string($0.value)) })
            return .map([ManifestField("metric", metric), ManifestField("value", .list([.string("1764658800.000"), .string(String(value))]))])
        }
        return .map([
            ManifestField("status", .string("success")),
            ManifestField("data", .map([ManifestField("resultType", .string("vector")), ManifestField("result", .list(result))])),
        ])
    }

    /// Prometheus' interpolation within the bucket where the rank falls.
    static func histogramQuantile(_ q: Double, _ buckets: [(Double, Double)]) -> Double {
        guard let total = buckets.last?.1, total > 0 else { return .nan }
        let rank = q * total
        var lower = 0.0
        var below = 0.0
        for (le, count) in buckets {
            if count >= rank {
                if le == .infinity { return lower }
                return lower + (le - lower) * (rank - below) / (count - below)
            }
            (lower, below) = (le, count)
        }
        return lower
    }

    private static func failure(_ reason: String) -> ManifestValue {
        .map([ManifestField("status", .string("error")), ManifestField("error", .string(reason))])
    }

    private static func matchers(_ text: String) -> [(String, String, String)] {
        text.split(separator: ",").compactMap { term in
            let term = String(term)
            let op = term.contains("=~") ? "=~" : "="
            guard let range = term.range(of: op) else { return nil }
            let value = term[range.upperBound...].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            return (term[..<range.lowerBound].trimmingCharacters(in: .whitespaces), op, value)
        }
    }

    private static func pairs(_ text: String?) -> [String: String] {
        var result: [String: String] = [:]
        for term in (text ?? "").split(separator: ",") {
            let parts = term.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { result[parts[0]] = parts[1] }
        }
        return result
    }
}
