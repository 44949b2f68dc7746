import Foundation
import GatewayKit
import GatewayStore
import Testing
import TestSupport

/// The gateway at work on a cluster, against the test API server: pods found by the
/// flavour's selector, events by object name, logs through `pods/log`, and traffic from
/// a Prometheus stand-in behind the API server's service proxy.
@Suite("Cluster gateway activity against the test API server")
struct ClusterGatewayActivityTests {
    static let namespace = Gateway.defaultNamespace

    static func pod(
        _ name: String, labels: [String: String], ready: Bool, restarts: Int = 0, waiting: (String, String)? = nil
    ) -> ManifestValue {
        var state: [ManifestField] = [ManifestField("running", .map([]))]
        if let waiting {
            state = [ManifestField("waiting", .map([ManifestField("reason", .string(waiting.0)), ManifestField("message", .string(waiting.1))]))]
        }
        return .map([
            ManifestField("metadata", .map([
                ManifestField("name", .string(name)), ManifestField("namespace", .string(namespace)),
                ManifestField("labels", .map(labels.sorted { $0.key < $1.key }.map { ManifestField($0.key, .string($0.value)) })),
                ManifestField("creationTimestamp", .string("2026-12-01T10:00:00Z")),
            ])),
            ManifestField("spec", .map([
                ManifestField("nodeName", .string("node-1")),
                ManifestField("containers", .list([.map([ManifestField("name", .string("controller"))])])),
            ])),
            ManifestField("status", .map([
                ManifestField("phase", .string("Running")),
                ManifestField("containerStatuses", .list([.map([
                    ManifestField("name", .string("controller")), ManifestField("ready", .bool(ready)),
                    ManifestField("restartCount", .int(restarts)), ManifestField("state", .map(state)),
                ])])),
            ])),
        ])
    }

    static func unschedulable(_ name: String, labels: [String: String]) -> ManifestValue {
        .map([
            ManifestField("metadata", .map([
                ManifestField("name", .string(name)),
                ManifestField("labels", .map(labels.sorted { $0.key < $1.key }.map { ManifestField($0.key, .string($0.value)) })),
            ])),
            ManifestField("spec", .map([ManifestField("containers", .list([.map([ManifestField("name", .string("nginx-ingress-controller"))])]))])),
            ManifestField("status", .map([
                ManifestField("phase", .string("Pending")),
                ManifestField("conditions", .list([.map([
                    ManifestField("type", .string("PodScheduled")), ManifestField("status", .string("False")),
                    ManifestField("reason", .string("Unschedulable")),
                    ManifestField("message", .string("0/3 nodes are available: 3 node(s) didn't match Pod's node affinity.")),
                ])])),
            ])),
        ])
    }

    static func event(_ object: String, kind: String, reason: String, message: String, time: String, type: String = "Warning") -> ManifestValue {
        .map([
            ManifestField("metadata", .map([ManifestField("name", .string("\(object).\(reason)")), ManifestField("namespace", .string(namespace))])),
            ManifestField("involvedObject", .map([ManifestField("kind", .string(kind)), ManifestField("name", .string(object))])),
            ManifestField("type", .string(type)), ManifestField("reason", .string(reason)), ManifestField("message", .string(message)),
            ManifestField("lastTimestamp", .string(time)), ManifestField("count", .int(3)),
        ])
    }

    static let helmLabels = ["app.kubernetes.io/name": "ingress-nginx", "app.kubernetes.io/instance": "kubesphere-router-shop-ingress"]

    @Test("Gateway CRD: the Helm release's pods with ready, restarts, node and failure; events of the gateway's objects")
    func podsAndEventsOfTheHelmRelease() async throws {
        let fixture = try await KubeFixture.start()
        defer { Task { await fixture.stop() } }
        let activity = fixture.cluster.activity
        activity.addPod(Self.pod("kubesphere-router-shop-7d9-a", labels: Self.helmLabels, ready: true), namespace: Self.namespace)
        activity.addPod(
            Self.pod(
                "kubesphere-router-shop-7d9-b", labels: Self.helmLabels, ready: false, restarts: 7,
                waiting: ("CrashLoopBackOff", "back-off 5m0s restarting failed container=controller")), namespace: Self.namespace)
        // Another project's router: not this gateway's.
        activity.addPod(
            Self.pod("kubesphere-router-demo-1", labels: ["app.kubernetes.io/name": "ingress-nginx", "app.kubernetes.io/instance": "kubesphere-router-demo-ingress"], ready: true),
            namespace: Self.namespace)
        activity.addEvent(
            Self.event("kubesphere-router-shop-ingress", kind: "Nginx", reason: "InstallError", message: "chart failed", time: "2026-12-01T10:02:00Z"),
            namespace: Self.namespace)
        activity.addEvent(
            Self.event("kubesphere-router-shop-7d9-b", kind: "Pod", reason: "BackOff", message: "Back-off restarting", time: "2026-12-01T10:01:00Z"),
            namespace: Self.namespace)
        activity.addEvent(
            Self.event("kubesphere-router-demo-1", kind: "Pod", reason: "BackOff", message: "not ours", time: "2026-12-01T10:00:00Z"),
            namespace: Self.namespace)

        let health = try await fixture.store.activity().health(project: "shop")
        #expect(health.unavailable == [])
        #expect(health.pods.map(\.name) == ["kubesphere-router-shop-7d9-a", "kubesphere-router-shop-7d9-b"])
        let failing = try #require(health.pods.last)
        #expect(failing.readyContainers == 0 && failing.containers == 1)
        #expect(failing.restarts == 7 && failing.node == "node-1" && failing.phase == "Running")
        #expect(failing.failure == "CrashLoopBackOff: back-off 5m0s restarting failed container=controller")
        #expect(failing.created == ISO8601DateFormatter().date(from: "2026-12-01T10:00:00Z"))
        #expect(health.pods.first?.failure == nil)
        #expect(health.events.map { "\($0.object) \($0.reason)" } == [
            "Pod/kubesphere-router-shop-7d9-b BackOff", "Nginx/kubesphere-router-shop-ingress InstallError",
        ])
        #expect(health.events.first?.count == 3 && health.events.first?.type == "Warning")
        let listed = fixture.cluster.requests.filter { $0.path.hasSuffix("/pods") }.compactMap { $0.query["labelSelector"] }
        #expect(listed.contains("app.kubernetes.io/name=ingress-nginx,app.kubernetes.io/instance=kubesphere-router-shop-ingress"))
    }

    @Test("legacy router: the pods the Deployment's selector selects")
    func podsOfTheLegacyDeployment() async throws {
        let fixture = try await KubeFixture.start(configure: { $0.servesGateways = false })
        defer { Task { await fixture.stop() } }
        let legacy = GatewayObjects.legacyLabels(project: "shop")
        fixture.cluster.activity.addPod(Self.pod("kubesphere-router-shop-1", labels: legacy, ready: true), namespace: Self.namespace)
        fixture.cluster.activity.addPod(Self.pod("kubesphere-router-shop-ingress-x", labels: Self.helmLabels, ready: true), namespace: Self.namespace)
        // A pod no node can take: the scheduler's condition is its failure.
        fixture.cluster.activity.addPod(Self.unschedulable("kubesphere-router-shop-2", labels: legacy), namespace: Self.namespace)
        let health = try await fixture.store.activity().health(project: "shop")
        #expect(health.pods.map(\.name) == ["kubesphere-router-shop-1", "kubesphere-router-shop-2"])
        #expect(health.pods.first?.readyContainers == 1)
        #expect(health.pods.last?.phase == "Pending")
        #expect(health.pods.last?.failure == "Unschedulable: 0/3 nodes are available: 3 node(s) didn't match Pod's node affinity.")
    }

    @Test("a project without a gateway of its own: the pods of KubeSphere's cluster gateway")
    func podsOfTheClusterGateway() async throws {
        let fixture = try await KubeFixture.start()
        defer { Task { await fixture.stop() } }
        for object in ManifestRenderer.gatewayObjects(Gateway(project: Gateway.clusterGatewayProject), flavor: .gatewayCRD) {
            try fixture.cluster.seed(object)
        }
        let labels = ["app.kubernetes.io/name": "ingress-nginx", "app.kubernetes.io/instance": "kubesphere-router-kubesphere-system-ingress"]
        fixture.cluster.activity.addPod(Self.pod("kubesphere-router-kubesphere-system-1", labels: labels, ready: true), namespace: Self.namespace)
        fixture.cluster.activity.addPod(Self.pod("kubesphere-router-shop-7d9-a", labels: Self.helmLabels, ready: true), namespace: Self.namespace)
        #expect(try await fixture.store.activity().health(project: "demo").pods.map(\.name) == ["kubesphere-router-kubesphere-system-1"])
        // A project with its own gateway keeps it.
        #expect(try await fixture.store.activity().health(project: "shop").pods.map(\.name) == ["kubesphere-router-shop-7d9-a"])
    }

    @Test("a forbidden part is named in unavailable, the rest still shows")
    func forbiddenEvents() async throws {
        let fixture = try await KubeFixture.start()
        defer { Task { await fixture.stop() } }
        fixture.cluster.activity.addPod(Self.pod("kubesphere-router-shop-7d9-a", labels: Self.helmLabels, ready: true), namespace: Self.namespace)
        let health = try await ClusterActivityWithoutEvents.health(fixture)
        #expect(health.pods.count == 1)
        #expect(health.unavailable.count == 1)
        #expect(health.unavailable.first?.hasPrefix("events of kubesphere-router-shop: ") == true)
    }

    @Test("logs of several pods, in time order, each line named by its pod; tail counts across pods")
    func logsInterleaved() async throws {
        let fixture = try await KubeFixture.start()
        defer { Task { await fixture.stop() } }
        let activity = fixture.cluster.activity
        activity.addPod(Self.pod("router-a", labels: Self.helmLabels, ready: true), namespace: Self.namespace)
        activity.addPod(Self.pod("router-b", labels: Self.helmLabels, ready: true), namespace: Self.namespace)
        activity.appendLog(pod: "router-a", ["2026-12-01T10:00:01.000000001Z a1", "2026-12-01T10:00:03.000000001Z a2 \u{1B}[2J"])
        activity.appendLog(pod: "router-b", ["2026-12-01T10:00:02.000000001Z b1", "2026-12-01T10:00:04.000000001Z b2"])

        var lines: [GatewayLogLine] = []
        for await event in fixture.store.activity().logs(project: "shop", tail: 3, since: nil, follow: false) {
            guard case .line(let line) = event else {
                Issue.record("\(event)")
                continue
            }
            lines.append(line)
        }
        #expect(lines.map { "\($0.source) \($0.text)" } == ["router-b b1", "router-a a2 \u{1B}[2J", "router-b b2"])
        let asked = fixture.cluster.requests.filter { $0.path.hasSuffix("/log") }
        #expect(asked.count == 2)
        #expect(asked.allSatisfy { $0.query["tailLines"] == "3" && $0.query["timestamps"] == "true" && $0.query["container"] == "controller" })
        #expect(asked.allSatisfy { $0.query["follow"] == nil })
    }

    @Test("a followed log asks with follow=true and resumes from the last line's time")
    func followResumes() async throws {
        let fixture = try await KubeFixture.start()
        defer { Task { await fixture.stop() } }
        let activity = fixture.cluster.activity
        activity.addPod(Self.pod("router-a", labels: Self.helmLabels, ready: true), namespace: Self.namespace)
        activity.appendLog(pod: "router-a", ["2026-12-01T10:00:01.000000001Z first"])
        let stream = fixture.store.activity().logs(project: "shop", tail: nil, since: .seconds(600), follow: true)
        var iterator = stream.makeAsyncIterator()
        let first = await iterator.next()
        #expect(first == .line(GatewayLogLine(source: "router-a", time: first.flatMap(Self.time), text: "first")))
        activity.appendLog(pod: "router-a", ["2026-12-01T10:00:02.000000001Z second"])
        let second = await iterator.next()
        #expect(second.flatMap(Self.text) == "second")
        let asked = fixture.cluster.requests.filter { $0.path.hasSuffix("/log") }
        #expect(asked.first?.query["follow"] == "true")
        #expect(asked.first?.query["sinceSeconds"] == "600")
        #expect(asked.dropFirst().first?.query["sinceTime"] == "2026-12-01T10:00:01.000000001Z")
    }

    @Test("traffic per route path from Prometheus: requests, classes, rate and latency quantiles")
    func trafficFromPrometheus() async throws {
        let fixture = try await KubeFixture.start()
        defer { Task { await fixture.stop() } }
        let activity = fixture.cluster.activity
        activity.addPod(Self.pod("router-a", labels: Self.helmLabels, ready: true), namespace: Self.namespace)
        func requests(_ ingress: String, _ path: String, _ status: String, _ count: Double, namespace: String = "shop") -> TestGatewayActivity.Series {
            TestGatewayActivity.Series(
                labels: [
                    "__name__": "nginx_ingress_controller_requests", "exported_namespace": namespace, "ingress": ingress,
                    "host": ingress.isEmpty ? "" : "shop.example.com", "path": path, "status": status,
                    "controller_namespace": Self.namespace, "controller_pod": "router-a",
                ],
                requests: count)
        }
        var latency = TestGatewayActivity.Series(
            labels: ["__name__": "nginx_ingress_controller_request_duration_seconds_bucket", "exported_namespace": "shop", "ingress": "shop", "host": "shop.example.com", "path": "/"])
        latency.buckets = [(0.01, 50), (0.1, 90), (1, 100), (.infinity, 100)]
        activity.servePrometheus([
            requests("shop", "/", "200", 240), requests("shop", "/", "304", 30), requests("shop", "/", "404", 20),
            requests("shop", "/", "502", 10), requests("shop", "/api", "200", 60),
            requests("", "", "404", 12, namespace: ""),
            requests("other", "/", "200", 999, namespace: "demo"),
            latency,
        ])
        let report = try await fixture.store.activity().traffic(project: "shop", window: .seconds(300))
        #expect(report.unavailable == nil)
        #expect(report.windowSeconds == 300)
        #expect(report.routes.map { "\($0.route) \($0.host)\($0.path) \($0.requests)" } == [
            "shop/shop shop.example.com/ 300", "shop/shop shop.example.com/api 60",
        ])
        let root = try #require(report.routes.first)
        #expect(root.status == StatusClasses(success: 240, redirect: 30, clientError: 20, serverError: 10))
        #expect(root.ratePerSecond == 1.0)
        // histogram_quantile over the buckets: 0.5 → 10 ms; 0.95 → 550 ms; 0.99 → 910 ms.
        #expect(root.latencyMs == LatencyPercentiles(p50: 10, p95: 550, p99: 910))
        #expect(report.routes.last?.latencyMs == LatencyPercentiles())
        #expect(report.unmatched == UnmatchedTraffic(requests: 12, status: StatusClasses(clientError: 12)))
        let queries = activity.prometheusQueries
        #expect(queries.contains { $0.contains("increase(nginx_ingress_controller_requests{exported_namespace=\"shop\"}[5m])") })
        #expect(queries.contains { $0.hasPrefix("histogram_quantile(0.99, ") && $0.contains("nginx_ingress_controller_request_duration_seconds_bucket") })
    }

    @Test("without KubeSphere's monitoring the report says why")
    func trafficWithoutPrometheus() async throws {
        let fixture = try await KubeFixture.start()
        defer { Task { await fixture.stop() } }
        let report = try await fixture.store.activity().traffic(project: "shop", window: .seconds(60))
        #expect(report.routes.isEmpty)
        #expect(report.unavailable?.contains("kubesphere-monitoring-system/prometheus-k8s") == true)
        #expect(report.unavailable?.contains("not installed") == true)
    }

    static func time(_ event: GatewayLogEvent) -> Date? {
        if case .line(let line) = event { return line.time }
        return nil
    }

    static func text(_ event: GatewayLogEvent) -> String? {
        if case .line(let line) = event { return line.text }
        return nil
    }
}

/// Events forbidden by RBAC, as for a user without `list events` in the gateway namespace.
enum ClusterActivityWithoutEvents {
    static func health(_ fixture: KubeFixture) async throws -> GatewayHealth {
        fixture.cluster.forbidden.insert(["list", "events"])
        return try await fixture.store.activity().health(project: "shop")
    }
}
