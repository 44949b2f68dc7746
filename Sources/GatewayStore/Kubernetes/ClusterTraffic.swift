import Foundation
import GatewayKit
import NIOHTTP1

/// `kgate gateway traffic` on a cluster: ingress-nginx's metrics in KubeSphere's
/// Prometheus (`kubesphere-monitoring-system/prometheus-k8s`), reached through the API
/// server's service proxy, so that kgate needs no other address or credential.
///
/// The metrics are those KubeSphere's gateway monitoring queries
/// (`nginx_ingress_controller_requests`, `nginx_ingress_controller_request_duration_seconds_bucket`;
/// see `pkg/models/monitoring/expressions` in KubeSphere), per Ingress, host and path:
///
/// - requests: `increase(nginx_ingress_controller_requests{exported_namespace="<project>"}[<window>])`
///   summed by ingress, host, path and status, rounded to whole requests;
/// - latency: `histogram_quantile(0.50|0.95|0.99, …_request_duration_seconds_bucket …)`,
///   estimated from the histogram's buckets (not exact, unlike the local gateway's);
/// - requests no Ingress claimed: the controller pods' series with `ingress=""`.
struct ClusterTraffic: Sendable {
    let client: APIClient

    static let prometheusPath =
        "/api/v1/namespaces/kubesphere-monitoring-system/services/prometheus-k8s:9090/proxy/api/v1/query"

    static func requestsQuery(project: String, window: String) -> String {
        "sum by (ingress, host, path, status) (increase(nginx_ingress_controller_requests{exported_namespace=\"\(project)\"}[\(window)]))"
    }

    static func latencyQuery(_ quantile: String, project: String, window: String) -> String {
        "histogram_quantile(\(quantile), sum by (ingress, host, path, le) (rate(nginx_ingress_controller_request_duration_seconds_bucket{exported_namespace=\"\(project)\"}[\(window)])))"
    }

    static func unmatchedQuery(controllerNamespace: String, pods: [String], window: String) -> String {
        // Pod names are DNS subdomains: a dot is their one regular-expression character,
        // written `\\.` inside PromQL's double-quoted string.
        let names = pods.map { $0.replacingOccurrences(of: ".", with: #"\\."#) }.joined(separator: "|")
        return "sum by (status) (increase(nginx_ingress_controller_requests{controller_namespace=\"\(controllerNamespace)\",controller_pod=~\"\(names)\",ingress=\"\"}[\(window)]))"
    }

    func report(project: String, window: Duration, controllerNamespace: String, pods: [String]) async -> TrafficReport {
        let seconds = max(1, Int(window.components.seconds))
        let range = DurationText.text(.seconds(seconds))
        var report = TrafficReport(
            project: project, windowSeconds: seconds, routes: [], unmatched: UnmatchedTraffic(requests: 0, status: StatusClasses()))
        do throws(TrafficUnavailable) {
            var routes: [RouteKey: RouteTraffic] = [:]
            for sample in try await query(Self.requestsQuery(project: project, window: range)) {
                let key = RouteKey(sample.labels, project: project)
                let count = Int(sample.value.rounded())
                var route = routes[key] ?? key.empty
                route.requests += count
                route.status.count(Int(sample.labels["status"] ?? "") ?? 0, times: count)
                routes[key] = route
            }
            let quantiles: [(String, WritableKeyPath<LatencyPercentiles, Double?>)] = [
                ("0.50", \.p50), ("0.95", \.p95), ("0.99", \.p99),
            ]
            for (quantile, path) in quantiles {
                for sample in try await query(Self.latencyQuery(quantile, project: project, window: range)) where sample.value.isFinite {
                    let key = RouteKey(sample.labels, project: project)
                    var route = routes[key] ?? key.empty
                    route.latencyMs[keyPath: path] = (sample.value * 1_000_000).rounded() / 1000
                    routes[key] = route
                }
            }
            report.routes = routes.values.filter { $0.requests > 0 || $0.latencyMs.p50 != nil }.map { route in
                var route = route
                route.ratePerSecond = Double(route.requests) / Double(seconds)
                return route
            }.sorted { ($0.host, $0.path, $0.route) < ($1.host, $1.path, $1.route) }
            if !pods.isEmpty {
                for sample in try await query(Self.unmatchedQuery(controllerNamespace: controllerNamespace, pods: pods, window: range)) {
                    let count = Int(sample.value.rounded())
                    report.unmatched.requests += count
                    report.unmatched.status.count(Int(sample.labels["status"] ?? "") ?? 0, times: count)
                }
            }
        } catch {
            report.routes = []
            report.unavailable = error.reason
        }
        return report
    }

    struct Sample {
        var labels: [String: String]
        var value: Double
    }

    struct TrafficUnavailable: Error {
        var reason: String
    }

    /// One instant query; its vector's samples.
    func query(_ promql: String) async throws(TrafficUnavailable) -> [Sample] {
        let request = APIStatus.Request(
            verb: "get", resource: "services/proxy", namespace: "kubesphere-monitoring-system",
            object: "Service kubesphere-monitoring-system/prometheus-k8s")
        let answer: ManifestValue
        do throws(StoreError) {
            answer = try await client.send(.GET, Self.prometheusPath, query: [("query", promql)], about: request)
        } catch {
            switch error {
            case .notFound:
                throw TrafficUnavailable(
                    reason: "no monitoring: the cluster has no Service kubesphere-monitoring-system/prometheus-k8s (KubeSphere's monitoring is not installed)")
            case .forbidden(let reason):
                throw TrafficUnavailable(reason: "no monitoring: Prometheus cannot be reached through the API server: \(reason)")
            default:
                throw TrafficUnavailable(reason: "no monitoring: Prometheus through the API server: \(error.description)")
            }
        }
        guard answer["status"] == .string("success") else {
            let said = GatewayPodReading.string(answer["error"]) ?? "no reason given"
            throw TrafficUnavailable(reason: "Prometheus refused the query: \(said)")
        }
        return GatewayPodReading.list(answer["data"]?["result"]).compactMap { item in
            guard case .map(let fields)? = item["metric"] else { return nil }
            let values = GatewayPodReading.list(item["value"])
            guard values.count == 2, let text = GatewayPodReading.string(values[1]), let value = Double(text) else { return nil }
            var labels: [String: String] = [:]
            for field in fields { labels[field.key] = GatewayPodReading.string(field.value) ?? "" }
            return Sample(labels: labels, value: value)
        }
    }

    struct RouteKey: Hashable {
        var route: String
        var host: String
        var path: String

        init(_ labels: [String: String], project: String) {
            route = "\(project)/\(labels["ingress"] ?? "")"
            host = labels["host"] ?? ""
            path = labels["path"] ?? ""
        }

        var empty: RouteTraffic {
            RouteTraffic(
                route: route, host: host, path: path, requests: 0, ratePerSecond: 0, status: StatusClasses(),
                latencyMs: LatencyPercentiles())
        }
    }
}
