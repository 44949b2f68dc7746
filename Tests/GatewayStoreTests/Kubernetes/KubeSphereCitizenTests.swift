import Foundation
import GatewayKit
import GatewayStore
import Testing
import TestSupport

/// kgate on a KubeSphere cluster writes what KubeSphere's console writes and nothing its
/// controllers own (issue 10): each test seeds what KubeSphere would have made, does a
/// kgate write, and reads the raw objects back from the server.
@Suite("KubeSphere cluster: kgate writes only what KubeSphere's console writes")
struct KubeSphereCitizenTests {
    static let namespace = Gateway.defaultNamespace
    typealias StandIn = KubeSphereControllerStandIn

    // MARK: Gateway CRD flavour (3.2+)

    @Test("a new gateway is one POST of the Gateway CR; Pending until the Helm release's Service exists, then its node ports")
    func crdCreateWritesOnlyTheCR() async throws {
        let fixture = try await KubeFixture.start()
        defer { Task { await fixture.stop() } }
        let before = fixture.cluster.requests.count
        let change = try await fixture.store.setGateway(GatewayRequest(project: "demo", type: .nodePort, governance: true))
        let writes = Self.writes(fixture.cluster.requests.dropFirst(before))
        #expect(writes == ["POST /apis/gateway.kubesphere.io/v1alpha1/namespaces/\(Self.namespace)/gateways"])
        #expect(fixture.cluster.object(resource("Service"), namespace: Self.namespace, name: "kubesphere-router-demo") == nil)
        #expect(fixture.cluster.object(resource("Deployment"), namespace: Self.namespace, name: "kubesphere-router-demo") == nil)
        let cr = try #require(fixture.cluster.object(resource("Gateway"), namespace: Self.namespace, name: "kubesphere-router-demo"))
        #expect(cr["status"] == nil)
        #expect(cr[path: ["spec", "deployment", "annotations", KubeSphereAnnotation.governance]] == .string("true"))

        let pending = GatewayView(gateway: change.gateway, nodes: [])
        #expect(pending.status == .pending(reason: "waiting for the gateway's Service"))
        let loaded = try #require(try await fixture.store.load().gateway(project: "demo"))
        #expect(GatewayView(gateway: loaded, nodes: []).status == .pending(reason: GatewayStatus.waitingForService))

        let service = try StandIn.releaseService(for: "demo", in: fixture.cluster)
        let assigned = TestCluster.nodePortsByName(service)
        let inventory = try await fixture.store.load()
        let ready = try #require(inventory.gateway(project: "demo"))
        #expect(ready.controllerState == nil)
        #expect(ready.httpNodePort == assigned["http"] && ready.httpsNodePort == assigned["https"] && ready.httpNodePort != nil)
        #expect(GatewayView(gateway: ready, nodes: inventory.nodes).status == .ready)
    }

    @Test("a change is a merge patch of the changed fields at the version read; what kgate does not model survives")
    func crdChangeKeepsUnmodeledFields() async throws {
        let fixture = try await KubeFixture.start()
        defer { Task { await fixture.stop() } }
        try Self.seedKubeSphereGateway(project: "demo", in: fixture.cluster)
        let loaded = try #require(try await fixture.store.load().gateway(project: "demo"))
        #expect(loaded.annotations == ["service.beta.kubernetes.io/qingcloud-load-balancer-type": "0"])

        let before = fixture.cluster.requests.count
        _ = try await fixture.store.setGateway(GatewayRequest(
            project: "demo", type: .loadBalancer, annotations: ["lb.example.com/pool": "a"], replicas: 3,
            expectedResourceVersion: loaded.resourceVersion))
        let sent = Array(fixture.cluster.requests.dropFirst(before)).filter { $0.method != "GET" }
        #expect(Self.writes(sent) == ["PATCH /apis/gateway.kubesphere.io/v1alpha1/namespaces/\(Self.namespace)/gateways/kubesphere-router-demo"])
        let request = try #require(sent.first)
        #expect(request.header("Content-Type") == ["application/merge-patch+json"])
        let patch = try JSONReader.read(request.body)
        #expect(patch[path: ["metadata", "resourceVersion"]] == .string(loaded.resourceVersion ?? "-"))
        // Only what changed: the config and the governance flag are not sent; the removed
        // annotation is null.
        #expect(patch[path: ["spec", "controller", "config"]] == nil)
        #expect(patch[path: ["spec", "deployment", "annotations"]] == nil)
        #expect(patch[path: ["spec", "service", "annotations", "service.beta.kubernetes.io/qingcloud-load-balancer-type"]] == .null)

        let cr = try #require(fixture.cluster.object(resource("Gateway"), namespace: Self.namespace, name: "kubesphere-router-demo"))
        #expect(cr[path: ["spec", "service", "type"]] == .string("LoadBalancer"))
        #expect(cr[path: ["spec", "service", "annotations"]] == StandIn.raw(["lb.example.com/pool": "a"]))
        #expect(cr[path: ["spec", "deployment", "replicas"]] == .int(3))
        #expect(cr[path: ["spec", "controller", "tcp"]] == StandIn.raw(["5432": "db/postgres:5432"]))
        #expect(cr[path: ["spec", "controller", "annotations"]] == StandIn.raw(["example.com/team": "web"]))
        #expect(cr[path: ["spec", "deployment", "resources"]] == StandIn.raw(["limits": ["cpu": "1"]]))
        #expect(cr[path: ["spec", "controller", "config"]] == StandIn.raw(["proxy-body-size": "8m"]))
        #expect(cr[path: ["metadata", "annotations", "kubesphere.io/annotations"]] == .string("QingCloud Kubernetes Engine"))
        #expect(cr[path: ["metadata", "labels", "kubesphere.io/workspace"]] == .string("ws"))
        #expect(cr[path: ["metadata", "finalizers"]] == StandIn.raw(["uninstall-helm-release"]))
        #expect(cr[path: ["metadata", "ownerReferences"]] != nil)
        #expect(cr[path: ["status", "conditions"]] != nil)
        // The Helm release's Service is not kgate's: untouched.
        let service = try #require(fixture.cluster.object(resource("Service"), namespace: Self.namespace, name: "kubesphere-router-demo"))
        #expect(service[path: ["spec", "type"]] == .string("NodePort"))
    }

    @Test("a change made from a version that is no longer stored is a conflict, and nothing is written")
    func crdPatchCarriesThePrecondition() async throws {
        let fixture = try await KubeFixture.start()
        defer { Task { await fixture.stop() } }
        try Self.seedKubeSphereGateway(project: "demo", in: fixture.cluster)
        let loaded = try #require(try await fixture.store.load().gateway(project: "demo"))
        // The operator's request names the version it edited, older than the stored one.
        fixture.cluster.modify(resource("Gateway"), namespace: Self.namespace, name: "kubesphere-router-demo") {
            $0.set(["spec", "deployment", "replicas"], .int(5))
        }
        await expectStoreError({
            try await fixture.store.setGateway(GatewayRequest(project: "demo", type: .nodePort, expectedResourceVersion: loaded.resourceVersion))
        }) {
            if case .conflict = $0 { return true }
            return false
        }
        let cr = try #require(fixture.cluster.object(resource("Gateway"), namespace: Self.namespace, name: "kubesphere-router-demo"))
        #expect(cr[path: ["spec", "deployment", "replicas"]] == .int(5))
    }

    @Test("a failed Helm release is shown Failed with its message")
    func crdFailedRelease() async throws {
        let fixture = try await KubeFixture.start()
        defer { Task { await fixture.stop() } }
        try Self.seedKubeSphereGateway(project: "demo", in: fixture.cluster, failed: true)
        let inventory = try await fixture.store.load()
        #expect(inventory.problems.isEmpty, "\(inventory.problems)")
        let gateway = try #require(inventory.gateway(project: "demo"))
        let view = GatewayView(gateway: gateway, nodes: inventory.nodes)
        #expect(view.status.name == "Failed")
        #expect(view.status.reason == "InstallError: rendered manifests contain a resource that already exists: invalid ownership metadata")
    }

    @Test("node ports cannot be chosen on a Gateway CRD cluster; the refusal names the field and says why")
    func crdRefusesNodePorts() async throws {
        let fixture = try await KubeFixture.start()
        defer { Task { await fixture.stop() } }
        let before = fixture.cluster.requests.count
        await expectStoreError({
            try await fixture.store.setGateway(GatewayRequest(project: "demo", type: .nodePort, httpNodePort: 30798, httpsNodePort: 31279))
        }) {
            guard case .invalid(_, let errors) = $0 else { return false }
            return errors.map(\.field.description) == ["httpNodePort", "httpsNodePort"]
                && errors.allSatisfy { $0.reason.contains("Helm release") && $0.reason.contains("Kubernetes assigns") }
        }
        #expect(Self.writes(fixture.cluster.requests.dropFirst(before)).isEmpty)
    }

    @Test("delete removes only the Gateway CR; the Service is the Helm release's to remove")
    func crdDeleteRemovesOnlyTheCR() async throws {
        let fixture = try await KubeFixture.start()
        defer { Task { await fixture.stop() } }
        try Self.seedKubeSphereGateway(project: "demo", in: fixture.cluster)
        let before = fixture.cluster.requests.count
        try await fixture.store.deleteGateway(project: "demo")
        #expect(Self.writes(fixture.cluster.requests.dropFirst(before))
            == ["DELETE /apis/gateway.kubesphere.io/v1alpha1/namespaces/\(Self.namespace)/gateways/kubesphere-router-demo"])
        #expect(fixture.cluster.object(resource("Service"), namespace: Self.namespace, name: "kubesphere-router-demo") != nil)
    }

    // MARK: Routes

    @Test("a route update is a merge patch: annotations, labels and fields kgate does not show are kept")
    func routeUpdateKeepsUnmodeledFields() async throws {
        let fixture = try await KubeFixture.start()
        defer { Task { await fixture.stop() } }
        try StandIn.create(StandIn.raw([
            "apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
            "metadata": [
                "name": "shop-web", "namespace": "demo",
                "labels": ["app.kubernetes.io/part-of": "shop"],
                "annotations": ["kubesphere.io/creator": "admin", "example.com/owner": "team-a", KubeSphereAnnotation.alias: "Old"],
                "finalizers": ["example.com/keep"],
            ],
            "spec": [
                "rules": [["host": "web.example.com", "http": ["paths": [[
                    "path": "/", "pathType": "ImplementationSpecific",
                    "backend": ["service": ["name": "web", "port": ["number": 8080]]],
                ]]]]],
            ],
        ]), in: fixture.cluster)
        var route = try #require(try await fixture.store.load().route(project: "demo", name: "shop-web"))
        route.alias = nil
        route.rules[0].host = "shop.example.com"
        let before = fixture.cluster.requests.count
        _ = try await fixture.store.updateRoute(route)
        let sent = Array(fixture.cluster.requests.dropFirst(before)).filter { $0.method != "GET" }
        #expect(sent.map(\.method) == ["PATCH"])
        let stored = try #require(fixture.cluster.object(resource("Ingress"), namespace: "demo", name: "shop-web"))
        #expect(stored[path: ["metadata", "annotations", "example.com/owner"]] == .string("team-a"))
        #expect(stored[path: ["metadata", "annotations", "kubesphere.io/creator"]] == .string("admin"))
        #expect(stored[path: ["metadata", "annotations", KubeSphereAnnotation.alias]] == nil)
        #expect(stored[path: ["metadata", "labels", "app.kubernetes.io/part-of"]] == .string("shop"))
        #expect(stored[path: ["metadata", "finalizers"]] == StandIn.raw(["example.com/keep"]))
        guard case .list(let rules)? = stored[path: ["spec", "rules"]] else { Issue.record("no rules"); return }
        #expect(rules.first?["host"] == .string("shop.example.com"))
    }

    @Test("apply over a stored route patches what the file changes; annotations, labels and finalizers it does not mention stay")
    func applyKeepsWhatTheFileDoesNotMention() async throws {
        let fixture = try await KubeFixture.start()
        defer { Task { await fixture.stop() } }
        try StandIn.create(StandIn.raw([
            "apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
            "metadata": [
                "name": "shop-web", "namespace": "demo", "labels": ["app.kubernetes.io/part-of": "shop"],
                "annotations": ["kubesphere.io/creator": "admin"], "finalizers": ["example.com/keep"],
            ],
            "spec": ["rules": [["host": "web.example.com", "http": ["paths": [[
                "path": "/", "pathType": "ImplementationSpecific", "backend": ["service": ["name": "web", "port": ["number": 8080]]],
            ]]]]]],
        ]), in: fixture.cluster)
        let file = Route(
            metadata: ObjectMeta(name: "shop-web", namespace: "demo"),
            rules: [RouteRule(host: "shop.example.com", paths: [RoutePath(backend: RouteBackend(service: "web", port: 8080))])])
        let before = fixture.cluster.requests.count
        #expect(try await fixture.store.apply([.route(file)]).map(\.action) == [.configured])
        #expect(Self.writes(fixture.cluster.requests.dropFirst(before)) == ["PATCH /apis/networking.k8s.io/v1/namespaces/demo/ingresses/shop-web"])
        let stored = try #require(fixture.cluster.object(resource("Ingress"), namespace: "demo", name: "shop-web"))
        #expect(stored[path: ["metadata", "annotations", "kubesphere.io/creator"]] == .string("admin"))
        #expect(stored[path: ["metadata", "labels", "app.kubernetes.io/part-of"]] == .string("shop"))
        #expect(stored[path: ["metadata", "finalizers"]] == StandIn.raw(["example.com/keep"]))
        guard case .list(let rules)? = stored[path: ["spec", "rules"]] else { Issue.record("no rules"); return }
        #expect(rules.first?["host"] == .string("shop.example.com"))
    }

    // MARK: Legacy flavour (2.1–3.1)

    @Test("a KubeSphere-made legacy gateway keeps its private image, probes, finalizers and governance through `set --replicas 2`")
    func legacySetKeepsKubeSphereFields() async throws {
        let fixture = try await KubeFixture.start { $0.servesGateways = false }
        defer { Task { await fixture.stop() } }
        try Self.seedLegacyRouter(project: "demo", in: fixture.cluster)
        let loaded = try #require(try await fixture.store.load().gateway(project: "demo"))
        #expect(loaded.governance, "governance is the Service's annotation")
        #expect(loaded.annotations == ["example.com/lb": "x"])
        let deploymentBefore = try #require(fixture.cluster.object(resource("Deployment"), namespace: Self.namespace, name: "kubesphere-router-demo"))

        let before = fixture.cluster.requests.count
        let change = try await fixture.store.setGateway(
            GatewayRequest(project: "demo", type: .nodePort, replicas: 2, expectedResourceVersion: loaded.resourceVersion))
        #expect(change.gateway.replicas == 2 && change.gateway.governance)
        #expect(Self.writes(fixture.cluster.requests.dropFirst(before)).allSatisfy { $0.hasPrefix("PATCH ") })

        let deployment = try #require(fixture.cluster.object(resource("Deployment"), namespace: Self.namespace, name: "kubesphere-router-demo"))
        #expect(deployment[path: ["spec", "replicas"]] == .int(2))
        let containers = ["spec", "template", "spec", "containers"]
        #expect(deployment[path: containers] == deploymentBefore[path: containers], "image, probes, securityContext and args unchanged")
        #expect(deployment[path: ["metadata", "finalizers"]] == StandIn.raw(["example.com/protect"]))
        #expect(deployment[path: ["spec", "template", "metadata", "annotations", "sidecar.istio.io/inject"]] == .string("true"))
        let service = try #require(fixture.cluster.object(resource("Service"), namespace: Self.namespace, name: "kubesphere-router-demo"))
        #expect(service[path: ["metadata", "annotations", KubeSphereAnnotation.governance]] == .string("true"))
        #expect(service[path: ["metadata", "finalizers"]] == StandIn.raw(["example.com/protect"]))
        #expect(service[path: ["spec", "sessionAffinity"]] == .string("None"))
    }

    @Test("legacy: type, annotations, governance and the controller's exposure argument change, once, and nothing else")
    func legacyTypeSwitchChangesOnlyItsArgument() async throws {
        let fixture = try await KubeFixture.start { $0.servesGateways = false }
        defer { Task { await fixture.stop() } }
        try Self.seedLegacyRouter(project: "demo", in: fixture.cluster)
        for _ in 0..<2 {
            let loaded = try #require(try await fixture.store.load().gateway(project: "demo"))
            _ = try await fixture.store.setGateway(GatewayRequest(
                project: "demo", type: .loadBalancer, annotations: [:], governance: false, expectedResourceVersion: loaded.resourceVersion))
        }
        let deployment = try #require(fixture.cluster.object(resource("Deployment"), namespace: Self.namespace, name: "kubesphere-router-demo"))
        let args = Self.args(deployment)
        #expect(args.filter { $0.hasPrefix("--publish-service") } == ["--publish-service=\(Self.namespace)/kubesphere-router-demo"])
        #expect(!args.contains("--report-node-internal-ip-address"))
        #expect(args.contains("--election-id=kubesphere-router-demo") && args.contains("--watch-namespace=demo"))
        #expect(deployment[path: ["spec", "template", "metadata", "annotations", "sidecar.istio.io/inject"]] == .string("false"))
        let service = try #require(fixture.cluster.object(resource("Service"), namespace: Self.namespace, name: "kubesphere-router-demo"))
        #expect(service[path: ["spec", "type"]] == .string("LoadBalancer"))
        #expect(service[path: ["metadata", "annotations"]] == StandIn.raw([KubeSphereAnnotation.governance: "false"]))
        #expect(try await fixture.store.load().gateway(project: "demo")?.governance == false)
    }

    @Test("a new legacy gateway is made from KubeSphere's template with the image the cluster's routers run")
    func legacyCreateFromTemplate() async throws {
        let fixture = try await KubeFixture.start { $0.servesGateways = false }
        defer { Task { await fixture.stop() } }
        try fixture.cluster.seed(.project(Project(name: "kubesphere-system")))
        try StandIn.create(StandIn.raw([
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": ["name": "ks-router-config", "namespace": "kubesphere-system"],
            "data": ["ingress-controller-svc.yaml": Self.templateService, "ingress-controller.yaml": Self.templateDeployment],
        ]), in: fixture.cluster)
        // An air-gapped install: every router of the cluster runs the private registry's image.
        let privateImage = "registry.corp:5000/kubesphere/nginx-ingress-controller:0.24.1"
        for project in ["edge", "shop"] {
            fixture.cluster.modify(resource("Deployment"), namespace: Self.namespace, name: Gateway.name(project: project)) { deployment in
                guard case .list(var containers)? = deployment[path: ["spec", "template", "spec", "containers"]] else { return }
                containers[0].set("image", .string(privateImage))
                deployment.set(["spec", "template", "spec", "containers"], .list(containers))
            }
        }
        try Self.seedLegacyRouter(project: "shopfront", in: fixture.cluster, image: privateImage)

        _ = try await fixture.store.setGateway(GatewayRequest(project: "demo", type: .nodePort, governance: true))
        let deployment = try #require(fixture.cluster.object(resource("Deployment"), namespace: Self.namespace, name: "kubesphere-router-demo"))
        let container = try #require(Self.container(deployment))
        #expect(container["image"] == .string(privateImage))
        #expect(container["readinessProbe"] != nil && container["livenessProbe"] != nil && container["securityContext"] != nil)
        let args = Self.args(deployment)
        #expect(args.first == "/nginx-ingress-controller")
        #expect(args.suffix(3) == ["--watch-namespace=demo", "--election-id=kubesphere-router-demo", "--report-node-internal-ip-address"])
        #expect(deployment[path: ["spec", "selector", "matchLabels", "project"]] == .string("demo"))
        #expect(deployment[path: ["spec", "template", "metadata", "annotations", "sidecar.istio.io/inject"]] == .string("true"))
        let service = try #require(fixture.cluster.object(resource("Service"), namespace: Self.namespace, name: "kubesphere-router-demo"))
        #expect(service[path: ["metadata", "annotations", KubeSphereAnnotation.governance]] == .string("true"))
        #expect(service[path: ["spec", "selector", "project"]] == .string("demo"))
        #expect(service[path: ["metadata", "labels", "component"]] == .string("ks-router"))
        #expect(TestCluster.nodePortsByName(service).count == 2)
    }

    // MARK: KubeSphere's rules

    @Test("the cluster gateway serves every project: it loads as a gateway, and a project gateway is refused with the reason")
    func clusterGatewayExcludesProjectGateways() async throws {
        let fixture = try await KubeFixture.start()
        defer { Task { await fixture.stop() } }
        try StandIn.create(StandIn.raw([
            "apiVersion": "gateway.kubesphere.io/v1alpha1", "kind": "Gateway",
            "metadata": ["name": "kubesphere-router-kubesphere-system", "namespace": Self.namespace],
            "spec": [
                "controller": ["replicas": 1, "scope": ["enabled": false, "namespace": ""]],
                "service": ["type": "NodePort"], "deployment": ["replicas": 1],
            ],
        ]), in: fixture.cluster)
        try StandIn.releaseService(for: "kubesphere-system", in: fixture.cluster)
        let inventory = try await fixture.store.load()
        #expect(inventory.problems.isEmpty, "\(inventory.problems)")
        let cluster = try #require(inventory.clusterGateway)
        #expect(GatewayView(gateway: cluster, nodes: inventory.nodes).status == .ready)

        let before = fixture.cluster.requests.count
        await expectStoreError({ try await fixture.store.setGateway(GatewayRequest(project: "demo", type: .nodePort)) }) {
            guard case .invalid(_, let errors) = $0 else { return false }
            return errors.map(\.field.description) == ["project"] && errors[0].reason.contains("cluster gateway")
                && errors[0].reason.contains("kubesphere-router-kubesphere-system")
        }
        #expect(Self.writes(fixture.cluster.requests.dropFirst(before)).isEmpty)
    }

    @Test("a legacy router on a Gateway CRD cluster is shown to upgrade; upgrade does what KubeSphere's does")
    func legacyRouterUpgrade() async throws {
        let fixture = try await KubeFixture.start()
        defer { Task { await fixture.stop() } }
        try Self.seedLegacyRouter(project: "demo", in: fixture.cluster)
        try StandIn.create(StandIn.raw([
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": ["name": "kubesphere-router-demo-nginx", "namespace": Self.namespace],
            "data": ["proxy-body-size": "16m"],
        ]), in: fixture.cluster)
        let serviceBefore = try #require(fixture.cluster.object(resource("Service"), namespace: Self.namespace, name: "kubesphere-router-demo"))
        let legacy = try #require(try await fixture.store.load().gateway(project: "demo"))
        #expect(legacy.controllerState == .legacyNeedsUpgrade)
        let view = GatewayView(gateway: legacy, nodes: [])
        #expect(view.status.name == "Legacy" && view.status.reason?.hasPrefix("legacy gateway — upgrade") == true)
        await expectStoreError({ try await fixture.store.setGateway(GatewayRequest(project: "demo", type: .nodePort)) }) {
            guard case .invalid(_, let errors) = $0 else { return false }
            return errors.first?.reason.contains("kgate gateway upgrade demo") == true
        }

        let upgraded = try await fixture.store.upgradeGateway(project: "demo")
        #expect(upgraded.controllerState == nil && upgraded.httpNodePort == TestCluster.nodePortsByName(serviceBefore)["http"])
        #expect(fixture.cluster.object(resource("Deployment"), namespace: Self.namespace, name: "kubesphere-router-demo") == nil)
        #expect(fixture.cluster.object(resource("ConfigMap"), namespace: Self.namespace, name: "kubesphere-router-demo-nginx") == nil)
        let service = try #require(fixture.cluster.object(resource("Service"), namespace: Self.namespace, name: "kubesphere-router-demo"))
        #expect(service[path: ["metadata", "annotations", "meta.helm.sh/release-name"]] == .string("kubesphere-router-demo-ingress"))
        #expect(service[path: ["metadata", "labels", "app.kubernetes.io/managed-by"]] == .string("Helm"))
        #expect(service[path: ["metadata", "labels", "component"]] == nil && service[path: ["spec", "selector"]] == nil)
        #expect(TestCluster.nodePortsByName(service) == TestCluster.nodePortsByName(serviceBefore))
        let cr = try #require(fixture.cluster.object(resource("Gateway"), namespace: Self.namespace, name: "kubesphere-router-demo"))
        #expect(cr[path: ["spec", "controller", "scope"]] == StandIn.raw(["enabled": true, "namespace": "demo"]))
        #expect(cr[path: ["spec", "controller", "config"]] == StandIn.raw(["proxy-body-size": "16m"]))
        #expect(cr[path: ["spec", "service", "annotations"]] == StandIn.raw(["example.com/lb": "x"]))
        #expect(cr[path: ["spec", "deployment", "replicas"]] == .int(1))
        #expect(cr[path: ["spec", "deployment", "annotations", KubeSphereAnnotation.governance]] == .string("true"))
        #expect(cr[path: ["spec", "deployment", "resources"]] == StandIn.raw(["limits": ["cpu": "500m"]]))
        let after = try #require(try await fixture.store.load().gateway(project: "demo"))
        #expect(after.controllerState == nil && after.governance)
    }

    @Test("the gateway namespace is KubeSphere's own, from kubesphere-system/kubesphere-config")
    func gatewayNamespaceFromKubeSphereConfig() async throws {
        let fixture = try await KubeFixture.start()
        defer { Task { await fixture.stop() } }
        try fixture.cluster.seed(.project(Project(name: "kubesphere-system")))
        try fixture.cluster.seed(.project(Project(name: "gateways")))
        try StandIn.create(StandIn.raw([
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": ["name": "kubesphere-config", "namespace": "kubesphere-system"],
            "data": ["kubesphere.yaml": "authentication:\n  jwtSecret: \"\"\ngateway:\n  watchesPath: /var/helm-charts/watches.yaml\n  namespace: gateways\n"],
        ]), in: fixture.cluster)
        let change = try await fixture.store.setGateway(GatewayRequest(project: "demo", type: .nodePort))
        #expect(change.gateway.namespace == "gateways")
        #expect(fixture.cluster.object(resource("Gateway"), namespace: "gateways", name: "kubesphere-router-demo") != nil)
        #expect(try await fixture.store.load().settings.gatewayNamespace == "gateways")
    }

    // MARK: Seeds and helpers

    /// The non-GET requests, as `METHOD path`.
    static func writes(_ requests: some Sequence<TestRequest>) -> [String] {
        requests.filter { $0.method != "GET" }.map { "\($0.method) \($0.path)" }
    }

    static func container(_ deployment: ManifestValue) -> ManifestValue? {
        guard case .list(let containers)? = deployment[path: ["spec", "template", "spec", "containers"]] else { return nil }
        return containers.first
    }

    static func args(_ deployment: ManifestValue) -> [String] {
        guard case .list(let args)? = container(deployment)?["args"] else { return [] }
        return args.compactMap { if case .string(let text) = $0 { return text } else { return nil } }
    }

    /// A Gateway CR as KubeSphere 3.3's console and Helm operator leave it, with fields
    /// kgate does not model, and its release's Service.
    static func seedKubeSphereGateway(project: String, in cluster: TestCluster, failed: Bool = false) throws {
        let condition: [String: Any] = failed
            ? ["type": "ReleaseFailed", "status": "True", "reason": "InstallError",
               "message": "rendered manifests contain a resource that already exists: invalid ownership metadata"]
            : ["type": "Deployed", "status": "True", "reason": "InstallSuccessful", "message": "release installed"]
        try StandIn.create(StandIn.raw([
            "apiVersion": "gateway.kubesphere.io/v1alpha1", "kind": "Gateway",
            "metadata": [
                "name": Gateway.name(project: project), "namespace": namespace,
                "annotations": ["kubesphere.io/annotations": "QingCloud Kubernetes Engine", "kubesphere.io/creator": "admin"],
                "labels": ["kubesphere.io/workspace": "ws"],
                "finalizers": ["uninstall-helm-release"],
                "ownerReferences": [["apiVersion": "v1", "kind": "Namespace", "name": project, "uid": "0d6c5a52-0000-4000-8000-000000000001"]],
            ],
            "spec": [
                "controller": [
                    "replicas": 1, "annotations": ["example.com/team": "web"], "config": ["proxy-body-size": "8m"],
                    "scope": ["enabled": true, "namespace": project], "tcp": ["5432": "db/postgres:5432"],
                ],
                "service": ["type": "NodePort", "annotations": ["service.beta.kubernetes.io/qingcloud-load-balancer-type": "0"]],
                "deployment": [
                    "replicas": 1, "annotations": [KubeSphereAnnotation.governance: "false"], "resources": ["limits": ["cpu": "1"]],
                ],
            ],
            "status": ["conditions": [condition]],
        ]), in: cluster)
        if !failed { try StandIn.releaseService(for: project, in: cluster) }
    }

    /// A legacy router as KubeSphere 3.0's ks-apiserver made it: governance on the
    /// Service, a private image, probes, a security context and finalizers.
    static func seedLegacyRouter(
        project: String, in cluster: TestCluster, image: String = "registry.corp:5000/kubesphere/nginx-ingress-controller:0.24.1"
    ) throws {
        let name = Gateway.name(project: project)
        let labels = GatewayObjects.legacyLabels(project: project)
        try StandIn.create(StandIn.raw([
            "apiVersion": "v1", "kind": "Service",
            "metadata": [
                "name": name, "namespace": namespace, "labels": labels, "finalizers": ["example.com/protect"],
                "annotations": [KubeSphereAnnotation.governance: "true", "example.com/lb": "x"],
            ],
            "spec": [
                "type": "NodePort", "selector": labels, "sessionAffinity": "None",
                "ports": [
                    ["name": "http", "port": 80, "protocol": "TCP", "targetPort": 80],
                    ["name": "https", "port": 443, "protocol": "TCP", "targetPort": 443],
                ],
            ],
        ]), in: cluster)
        try StandIn.create(StandIn.raw([
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": ["name": name, "namespace": namespace, "labels": labels, "finalizers": ["example.com/protect"]],
            "spec": [
                "replicas": 1,
                "selector": ["matchLabels": labels],
                "template": [
                    "metadata": ["labels": labels, "annotations": ["sidecar.istio.io/inject": "true"]],
                    "spec": [
                        "serviceAccountName": "kubesphere-router-serviceaccount",
                        "containers": [[
                            "name": "nginx-ingress-controller", "image": image,
                            "args": [
                                "/nginx-ingress-controller", "--default-backend-service=$(POD_NAMESPACE)/default-http-backend",
                                "--annotations-prefix=nginx.ingress.kubernetes.io", "--update-status",
                                "--watch-namespace=\(project)", "--election-id=\(name)", "--report-node-internal-ip-address",
                            ],
                            "livenessProbe": ["httpGet": ["path": "/healthz", "port": 10254, "scheme": "HTTP"], "initialDelaySeconds": 10],
                            "readinessProbe": ["httpGet": ["path": "/healthz", "port": 10254, "scheme": "HTTP"]],
                            "securityContext": ["runAsUser": 33, "capabilities": ["add": ["NET_BIND_SERVICE"], "drop": ["ALL"]]],
                            "resources": ["limits": ["cpu": "500m"]],
                        ]],
                    ],
                ],
            ],
        ]), in: cluster)
    }

    /// KubeSphere 3.0's ks-router-config template (ks-installer roles/ks-core), abridged.
    static let templateService = """
        apiVersion: v1
        kind: Service
        metadata:
          name: kubesphere-router
          namespace: kubesphere-controls-system
          labels:
            app: kubesphere
            component: ks-router
            tier: backend
        spec:
          selector:
            app: kubesphere
            component: ks-router
            tier: backend
          type: NodePort
          ports:
          - name: http
            protocol: TCP
            port: 80
            targetPort: 80
          - name: https
            protocol: TCP
            port: 443
            targetPort: 443
        """

    static let templateDeployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: kubesphere-router
          namespace: kubesphere-controls-system
          labels:
            app: kubesphere
            component: ks-router
            tier: backend
        spec:
          replicas: 1
          selector:
            matchLabels:
              app: kubesphere
              component: ks-router
              tier: backend
          template:
            metadata:
              labels:
                app: kubesphere
                component: ks-router
                tier: backend
            spec:
              serviceAccountName: kubesphere-router-serviceaccount
              containers:
              - name: nginx-ingress-controller
                image: kubesphere/nginx-ingress-controller:0.24.1
                args:
                - /nginx-ingress-controller
                - --default-backend-service=$(POD_NAMESPACE)/default-http-backend
                - --annotations-prefix=nginx.ingress.kubernetes.io
                - --update-status
                securityContext:
                  capabilities:
                    add:
                    - NET_BIND_SERVICE
                    drop:
                    - ALL
                  runAsUser: 33
                livenessProbe:
                  httpGet:
                    path: /healthz
                    port: 10254
                readinessProbe:
                  httpGet:
                    path: /healthz
                    port: 10254
        """
}
