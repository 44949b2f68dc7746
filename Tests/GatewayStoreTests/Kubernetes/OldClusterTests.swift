import Foundation
import GatewayKit
import GatewayStore
import Testing

/// Issue 11 item 5: a cluster older than Kubernetes 1.19 (Ingress only as v1beta1) and
/// 1.21 (no EndpointSlices) is read and written through the same model, converted at the
/// client; the test server converts with code of its own (`TestLegacyAPI`).
@Suite("Old clusters: v1beta1 Ingresses and v1 Endpoints")
struct OldClusterTests {
    static func start(_ version: String) async throws -> KubeFixture {
        try await KubeFixture.start { cluster in TestLegacyAPI.serve(cluster, ingressVersion: version) }
    }

    @Test("routes and endpoints load from an old cluster as from a new one", arguments: ["networking.k8s.io/v1beta1", "extensions/v1beta1"])
    func load(version: String) async throws {
        let new = try await KubeFixture.start()
        defer { Task { await new.stop() } }
        let old = try await Self.start(version)
        defer { Task { await old.stop() } }
        let expected = try await new.store.load()
        let inventory = try await old.store.load()
        #expect(inventory.problems.isEmpty && inventory.warnings.isEmpty, "\(inventory.problems) \(inventory.warnings)")
        #expect(inventory.routes.count == expected.routes.count && !expected.routes.isEmpty)
        // extensions/v1beta1 plays a 1.15 server, which forgets pathType: read as ImplementationSpecific.
        let keepsPathType = version != "extensions/v1beta1"
        for route in expected.routes {
            let read = try #require(inventory.route(project: route.namespace, name: route.name), "\(route.namespace)/\(route.name)")
            #expect(read.defaultBackend == route.defaultBackend && read.tls == route.tls)
            #expect(read.rules.map(\.host) == route.rules.map(\.host))
            for (readRule, rule) in zip(read.rules, route.rules) {
                #expect(readRule.paths.map(\.path) == rule.paths.map(\.path))
                #expect(readRule.paths.map(\.backend) == rule.paths.map(\.backend))
                #expect(readRule.paths.map(\.pathType) == (keepsPathType ? rule.paths.map(\.pathType) : rule.paths.map { _ in .implementationSpecific }))
            }
        }
        // v1 Endpoints stand in for the slices: the same addresses and ports per Service.
        let shape = { (endpoints: [BackendEndpoints]) in
            endpoints.map { "\($0.namespace)/\($0.serviceName) \($0.addresses) \($0.ports.map(\.port))" }.sorted()
        }
        #expect(!expected.endpoints.isEmpty && shape(inventory.endpoints) == shape(expected.endpoints))
        let requests = old.cluster.requests.map(\.path)
        #expect(requests.contains { $0.hasPrefix("/apis/\(version)/") && $0.hasSuffix("/ingresses") })
        #expect(requests.contains("/api/v1/endpoints"))
        #expect(!requests.contains { $0.hasPrefix("/apis/networking.k8s.io/v1/") || $0.hasPrefix("/apis/discovery.k8s.io/v1/") })
    }

    @Test("a route is created, replaced and deleted through the old version", arguments: ["networking.k8s.io/v1beta1", "extensions/v1beta1"])
    func write(version: String) async throws {
        let fixture = try await Self.start(version)
        defer { Task { await fixture.stop() } }
        var route = Route(
            metadata: ObjectMeta(name: "legacy", namespace: "demo"),
            rules: [RouteRule(host: "legacy.example.com", paths: [
                RoutePath(path: "/", pathType: .implementationSpecific, backend: RouteBackend(service: "web", portNumber: 80)),
                RoutePath(path: "/api", pathType: .implementationSpecific, backend: RouteBackend(service: "api", portName: "http")),
            ])])
        let created = try await fixture.store.createRoute(route)
        #expect(created.rules == route.rules)
        let post = try #require(fixture.cluster.requests.last { $0.method == "POST" })
        #expect(post.path == "/apis/\(version)/namespaces/demo/ingresses")
        let sent = String(decoding: post.body, as: UTF8.self)
        #expect(sent.contains("\"serviceName\"") && sent.contains("\"servicePort\"") && sent.contains(version), "\(sent)")
        #expect(!sent.contains("\"service\":") && !sent.contains("networking.k8s.io/v1\""), "\(sent)")

        route.rules[0].paths[0].backend = RouteBackend(service: "web", portNumber: 8080)
        let replaced = try await fixture.store.updateRoute(route)
        #expect(replaced.rules[0].paths[0].backend.portNumber == 8080)
        #expect(fixture.cluster.requests.last { $0.method == "PUT" }?.path == "/apis/\(version)/namespaces/demo/ingresses/legacy")

        try await fixture.store.deleteRoute(project: "demo", name: "legacy")
        #expect(try await OldClusterTests.fresh(fixture).load().route(project: "demo", name: "legacy") == nil)
    }

    static func fresh(_ fixture: KubeFixture) throws -> KubernetesStore {
        try KubernetesStore(connection: fixture.store.connection)
    }

    @Test("a cluster that serves Ingress in no version kgate knows is refused naming them")
    func noIngressAtAll() async throws {
        let fixture = try await KubeFixture.start(seed: false) { $0.notServed = ["ingresses"] }
        defer { Task { await fixture.stop() } }
        await expectStoreError({ try await fixture.store.load() }) { error in
            "\(error)".contains("serves Ingress in none of networking.k8s.io/v1, networking.k8s.io/v1beta1, extensions/v1beta1")
        }
    }
}
