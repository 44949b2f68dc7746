import Foundation
import GatewayKit
import GatewayStore
import Testing
import TestSupport

/// kgate's cluster store against the emulated KubeSphere controllers (not a stand-in the
/// test plays): what kgate writes is then acted on as KubeSphere would act on it.
@Suite("Kubernetes store against the emulated KubeSphere controllers")
struct KubeSphereEmulationStoreTests {
    static let namespace = TestKubeSphereControllers.defaultGatewayNamespace

    @Test("a set writes only the CR; the release's Service brings node ports, and the gateway is Ready")
    func setThroughTheRelease() async throws {
        let fixture = try await KubeFixture.start { $0.kubeSphereControllers = .automatic }
        defer { Task { await fixture.stop() } }
        try TestKubeSphereSeeds.ensureNamespace("blog", in: fixture.cluster)
        let before = fixture.cluster.requests.count
        _ = try await fixture.store.setGateway(GatewayRequest(project: "blog", type: .nodePort))
        let writes = fixture.cluster.requests.dropFirst(before).filter { $0.method != "GET" }
        #expect(writes.allSatisfy { $0.path.contains("/gateways") }, "\(writes.map { "\($0.method) \($0.path)" })")

        let service = try #require(fixture.cluster.object(TestResource.services, namespace: Self.namespace, name: "kubesphere-router-blog"))
        #expect(service["metadata"]?["annotations"]?["meta.helm.sh/release-name"] == .string("kubesphere-router-blog-ingress"))
        let inventory = try await fixture.store.load()
        let gateway = try #require(inventory.gateway(project: "blog"))
        #expect(gateway.httpNodePort == TestCluster.nodePortsByName(service)["http"] && gateway.httpNodePort != nil)
        #expect(gateway.controllerState == nil, "\(String(describing: gateway.controllerState))")
    }

    @Test("a Service kgate did not let Helm make is refused by the release, and kgate shows the gateway Failed with Helm's words")
    func refusedRelease() async throws {
        let fixture = try await KubeFixture.start { $0.kubeSphereControllers = .manual }
        defer { Task { await fixture.stop() } }
        // The demo seed's gateways are CRs beside Services kgate once made itself.
        TestKubeSphereControllers(cluster: fixture.cluster).reconcile()
        let inventory = try await fixture.store.load()
        let shop = try #require(inventory.gateway(project: "shop"))
        let view = GatewayView(gateway: shop, nodes: inventory.nodes)
        #expect(view.status.name == "Failed", "\(view.status)")
        #expect(view.status.reason?.contains("exists and cannot be imported into the current release: invalid ownership metadata") == true, "\(view.status)")
    }

    @Test("a KubeSphere-made legacy router keeps its private image, probes, finalizer and governance through a set of replicas")
    func legacyRouterSurvivesASet() async throws {
        let fixture = try await KubeFixture.start { $0.servesGateways = false }
        defer { Task { await fixture.stop() } }
        try TestKubeSphereSeeds.ensureNamespace("legacy", in: fixture.cluster)
        try TestKubeSphereSeeds.seedLegacyGateway(project: "legacy", into: fixture.cluster, governance: true)
        let loaded = try #require(try await fixture.store.load().gateway(project: "legacy"))
        #expect(loaded.governance)
        _ = try await fixture.store.setGateway(GatewayRequest(
            project: "legacy", type: .nodePort, replicas: 2, expectedResourceVersion: loaded.resourceVersion))

        let deployment = try #require(fixture.cluster.object(TestResource.deployments, namespace: Self.namespace, name: "kubesphere-router-legacy"))
        #expect(deployment["spec"]?["replicas"] == .int(2))
        let container = deployment["spec"]?["template"]?["spec"]?["containers"]?.items.first
        #expect(container?["image"] == .string(TestKubeSphereSeeds.legacyImage))
        #expect(container?["livenessProbe"] != nil && container?["readinessProbe"] != nil && container?["securityContext"] != nil)
        #expect(deployment["metadata"]?["finalizers"] == .list([.string("example.com/legacy-router-protection")]))
        #expect(deployment["spec"]?["template"]?["metadata"]?["annotations"]?["sidecar.istio.io/inject"] == .string("true"))
        let service = try #require(fixture.cluster.object(TestResource.services, namespace: Self.namespace, name: "kubesphere-router-legacy"))
        #expect(service["metadata"]?["annotations"]?["servicemesh.kubesphere.io/enabled"] == .string("true"))
        #expect(try await fixture.store.load().gateway(project: "legacy")?.replicas == 2)
    }

    @Test("a change is a patch of the CR; the release applies it to its Service, keeping the node ports it gave")
    func changeThroughTheRelease() async throws {
        let fixture = try await KubeFixture.start { $0.kubeSphereControllers = .automatic }
        defer { Task { await fixture.stop() } }
        try TestKubeSphereSeeds.ensureNamespace("blog", in: fixture.cluster)
        _ = try await fixture.store.setGateway(GatewayRequest(project: "blog", type: .nodePort))
        let first = try #require(try await fixture.store.load().gateway(project: "blog"))
        let ports = (first.httpNodePort, first.httpsNodePort)

        let before = fixture.cluster.requests.count
        _ = try await fixture.store.setGateway(GatewayRequest(
            project: "blog", type: .loadBalancer, annotations: ["lb.example.com/pool": "a"], replicas: 2,
            expectedResourceVersion: first.resourceVersion))
        let writes = fixture.cluster.requests.dropFirst(before).filter { $0.method != "GET" }
        #expect(writes.map(\.method) == ["PATCH"] && writes.allSatisfy { $0.path.contains("/gateways/") }, "\(writes.map { "\($0.method) \($0.path)" })")

        let service = try #require(fixture.cluster.object(TestResource.services, namespace: Self.namespace, name: "kubesphere-router-blog"))
        #expect(service["spec"]?["type"] == .string("LoadBalancer"))
        #expect(service["metadata"]?["annotations"]?["lb.example.com/pool"] == .string("a"))
        let deployment = try #require(fixture.cluster.object(TestResource.deployments, namespace: Self.namespace, name: "kubesphere-router-blog"))
        #expect(deployment["spec"]?["replicas"] == .int(2))
        let changed = try #require(try await fixture.store.load().gateway(project: "blog"))
        #expect(changed.type == .loadBalancer && changed.replicas == 2)
        #expect((changed.httpNodePort, changed.httpsNodePort) == ports, "the release keeps the node ports it assigned")
    }

    @Test("a delete removes the CR only; the release uninstalls its Service and Deployment, and the gateway is gone")
    func deleteThroughTheRelease() async throws {
        let fixture = try await KubeFixture.start { $0.kubeSphereControllers = .automatic }
        defer { Task { await fixture.stop() } }
        try TestKubeSphereSeeds.ensureNamespace("blog", in: fixture.cluster)
        _ = try await fixture.store.setGateway(GatewayRequest(project: "blog", type: .nodePort))
        #expect(fixture.cluster.object(TestResource.services, namespace: Self.namespace, name: "kubesphere-router-blog") != nil)

        let before = fixture.cluster.requests.count
        try await fixture.store.deleteGateway(project: "blog")
        let writes = fixture.cluster.requests.dropFirst(before).filter { $0.method != "GET" }
        #expect(writes.map { "\($0.method) \($0.path)" } == ["DELETE /apis/gateway.kubesphere.io/v1alpha1/namespaces/\(Self.namespace)/gateways/kubesphere-router-blog"])
        let uninstalled = await eventuallyAsync {
            fixture.cluster.object(TestResource.services, namespace: Self.namespace, name: "kubesphere-router-blog") == nil
                && fixture.cluster.object(TestResource.gateways, namespace: Self.namespace, name: "kubesphere-router-blog") == nil
        }
        #expect(uninstalled, "the release's Service or the CR outlived the delete")
        #expect(fixture.cluster.object(TestResource.deployments, namespace: Self.namespace, name: "kubesphere-router-blog") == nil)
        #expect(try await fixture.store.load().gateway(project: "blog") == nil)
    }

    @Test("an upgrade of a KubeSphere-made legacy router is adopted by the release: same Service, same node ports, Ready")
    func upgradeIsAdoptedByTheRelease() async throws {
        let fixture = try await KubeFixture.start { $0.kubeSphereControllers = .automatic }
        defer { Task { await fixture.stop() } }
        try TestKubeSphereSeeds.ensureNamespace("legacy", in: fixture.cluster)
        let seeded = try TestKubeSphereSeeds.seedLegacyGateway(project: "legacy", into: fixture.cluster, governance: true)
        let ports = TestCluster.nodePortsByName(seeded.service)
        // A router as KubeSphere made it: no finalizer of anyone else's holding the
        // Deployment that the upgrade deletes (one would keep it, and Helm refuse it).
        _ = try fixture.cluster.patch(
            TestResource.deployments, namespace: Self.namespace, name: "kubesphere-router-legacy", kind: .merge,
            body: .map([ManifestField("metadata", .map([ManifestField("finalizers", .null)]))]), manager: "test"
        ).get()
        let legacy = try #require(try await fixture.store.load().gateway(project: "legacy"))
        #expect(GatewayView(gateway: legacy, nodes: []).status.name == "Legacy", "\(GatewayView(gateway: legacy, nodes: []).status)")

        _ = try await fixture.store.upgradeGateway(project: "legacy")
        let cr = try #require(fixture.cluster.object(TestResource.gateways, namespace: Self.namespace, name: "kubesphere-router-legacy"))
        let conditions = cr["status"]?["conditions"]?.items ?? []
        #expect(conditions.contains { $0["type"] == .string("Deployed") && $0["status"] == .string("True") }, "\(conditions)")
        let service = try #require(fixture.cluster.object(TestResource.services, namespace: Self.namespace, name: "kubesphere-router-legacy"))
        #expect(service["metadata"]?["annotations"]?["meta.helm.sh/release-name"] == .string("kubesphere-router-legacy-ingress"))
        #expect(TestCluster.nodePortsByName(service) == ports)
        let inventory = try await fixture.store.load()
        let upgraded = try #require(inventory.gateway(project: "legacy"))
        #expect(GatewayView(gateway: upgraded, nodes: inventory.nodes).status == .ready)
        #expect(upgraded.governance)
    }
}
