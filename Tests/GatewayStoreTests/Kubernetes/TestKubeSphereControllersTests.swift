import Foundation
import GatewayKit
import Testing
import TestSupport

/// The emulation of KubeSphere's gateway controllers, over HTTP: what the Helm release of
/// a Gateway CR creates, refuses, puts back and removes, and the seeds of a cluster
/// KubeSphere made.
@Suite("Test API server emulates KubeSphere's gateway controllers")
struct TestKubeSphereControllersTests {
    static let gateways = "/apis/gateway.kubesphere.io/v1alpha1/namespaces/kubesphere-controls-system/gateways"
    static let services = "/api/v1/namespaces/kubesphere-controls-system/services"
    static let deployments = "/apis/apps/v1/namespaces/kubesphere-controls-system/deployments"

    @Test("off by default: a Gateway CR alone makes no Service")
    func offByDefault() async throws {
        let (server, client) = try await Self.start(mode: nil)
        defer { Task { await server.stop() } }
        #expect(try await client.send("POST", Self.gateways, body: Self.gateway(project: "demo")).status == 201)
        #expect(try await client.get("\(Self.services)/kubesphere-router-demo").status == 404)
    }

    @Test("a Gateway CR's release creates the Service and Deployment with Helm's ownership, random node ports, and Deployed status")
    func install() async throws {
        let (server, client) = try await Self.start(mode: .manual)
        defer { Task { await server.stop() } }
        #expect(try await client.send("POST", Self.gateways, body: Self.gateway(project: "demo", replicas: 2, annotations: ["lb": "1"])).status == 201)
        // Nothing before the controller runs: kgate shows such a gateway as pending.
        #expect(try await client.get("\(Self.services)/kubesphere-router-demo").status == 404)
        TestKubeSphereControllers(cluster: server.cluster).reconcile()

        let service = try await client.get("\(Self.services)/kubesphere-router-demo").json
        let metadata = service["metadata"]
        #expect(metadata?["annotations"]?["meta.helm.sh/release-name"] == .string("kubesphere-router-demo-ingress"))
        #expect(metadata?["annotations"]?["meta.helm.sh/release-namespace"] == .string("kubesphere-controls-system"))
        #expect(metadata?["annotations"]?["lb"] == .string("1"))
        #expect(metadata?["labels"]?["app.kubernetes.io/managed-by"] == .string("Helm"))
        #expect(service["spec"]?["type"] == .string("NodePort") && service["spec"]?["selector"] == TestKubeSphereControllers.selector(release: "kubesphere-router-demo-ingress"))
        let nodePorts = TestCluster.nodePortsByName(service)
        #expect(Set(nodePorts.keys) == ["http", "https"] && nodePorts.values.allSatisfy { (30000...32767).contains($0) })
        let deployment = try await client.get("\(Self.deployments)/kubesphere-router-demo").json
        #expect(deployment["spec"]?["replicas"] == .int(2))
        #expect(deployment["spec"]?["template"]?["spec"]?["containers"]?.items.first?["args"]?.items.contains(.string("--watch-namespace=demo")) == true)

        let gateway = try await client.get("\(Self.gateways)/kubesphere-router-demo").json
        #expect(gateway["metadata"]?["finalizers"] == .list([.string("uninstall-helm-release")]))
        let deployed = Self.condition(gateway, "Deployed")
        #expect(deployed?["status"] == .string("True") && deployed?["reason"] == .string("InstallSuccessful"), "\(gateway)")
        #expect(Self.condition(gateway, "ReleaseFailed")?["status"] == .string("False"))
        #expect(gateway["status"]?["deployedRelease"]?["name"] == .string("kubesphere-router-demo-ingress"))
    }

    @Test("a Service the release did not create is not adopted: the CR says the release failed, in Helm's words")
    func refusesToAdopt() async throws {
        let (server, client) = try await Self.start(mode: .automatic)
        defer { Task { await server.stop() } }
        // What kgate used to do: its own Service, before the CR.
        let own = """
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"kubesphere-router-demo","labels":{"app.kubernetes.io/managed-by":"Helm"}},
             "spec":{"type":"NodePort","ports":[{"name":"http","port":80,"nodePort":30798},{"name":"https","port":443,"nodePort":31279}]}}
            """
        #expect(try await client.send("POST", Self.services, body: own).status == 201)
        #expect(try await client.send("POST", Self.gateways, body: Self.gateway(project: "demo", type: "LoadBalancer")).status == 201)
        let gateway = try await client.get("\(Self.gateways)/kubesphere-router-demo").json
        let failed = try #require(Self.condition(gateway, "ReleaseFailed"), "\(gateway)")
        #expect(failed["status"] == .string("True") && failed["reason"] == .string("InstallError"))
        #expect(failed["message"] == .string(
            "rendered manifests contain a resource that already exists. Unable to continue with install: Service \"kubesphere-router-demo\" in namespace \"kubesphere-controls-system\" exists and cannot be imported into the current release: invalid ownership metadata; annotation validation error: missing key \"meta.helm.sh/release-name\": must be set to \"kubesphere-router-demo-ingress\"; annotation validation error: missing key \"meta.helm.sh/release-namespace\": must be set to \"kubesphere-controls-system\""))
        #expect(Self.condition(gateway, "Deployed")?["status"] == .string("False"))
        let service = try await client.get("\(Self.services)/kubesphere-router-demo").json
        #expect(service["spec"]?["type"] == .string("NodePort") && TestCluster.nodePortsByName(service) == ["http": 30798, "https": 31279])
        #expect(try await client.get("\(Self.deployments)/kubesphere-router-demo").status == 404)
    }

    @Test("each reconcile puts back the fields the release owns, and keeps node ports and others' annotations")
    func reappliesOwnedFields() async throws {
        let (server, client) = try await Self.start(mode: .manual)
        defer { Task { await server.stop() } }
        let controllers = TestKubeSphereControllers(cluster: server.cluster)
        _ = try await client.send("POST", Self.gateways, body: Self.gateway(project: "demo", annotations: ["lb": "1"]))
        controllers.reconcile()
        let installed = try await client.get("\(Self.services)/kubesphere-router-demo").json
        let nodePorts = TestCluster.nodePortsByName(installed)
        // Someone changes what Helm owns, and adds an annotation of their own.
        let changed = try await client.patch(
            "\(Self.services)/kubesphere-router-demo", #"{"metadata":{"annotations":{"lb":"changed","mine":"kept"}},"spec":{"type":"LoadBalancer"}}"#,
            type: .merge)
        #expect(changed.status == 200, "\(changed.body)")
        _ = try await client.patch("\(Self.deployments)/kubesphere-router-demo", #"{"spec":{"replicas":5}}"#, type: .merge)
        controllers.reconcile()
        let restored = try await client.get("\(Self.services)/kubesphere-router-demo").json
        #expect(restored["spec"]?["type"] == .string("NodePort") && restored["metadata"]?["annotations"]?["lb"] == .string("1"))
        #expect(restored["metadata"]?["annotations"]?["mine"] == .string("kept"))
        #expect(TestCluster.nodePortsByName(restored) == nodePorts)
        #expect(try await client.get("\(Self.deployments)/kubesphere-router-demo").json["spec"]?["replicas"] == .int(1))

        // A change of the CR is what changes the release: the annotation it drops goes.
        let edited = try await client.patch(
            "\(Self.gateways)/kubesphere-router-demo",
            #"{"spec":{"service":{"type":"LoadBalancer","annotations":{"lb":null,"eip":"e-1"}},"deployment":{"replicas":3}}}"#, type: .merge)
        #expect(edited.status == 200)
        controllers.reconcile()
        let upgraded = try await client.get("\(Self.services)/kubesphere-router-demo").json
        let annotations = upgraded["metadata"]?["annotations"]
        #expect(upgraded["spec"]?["type"] == .string("LoadBalancer") && annotations?["lb"] == nil && annotations?["eip"] == .string("e-1"))
        #expect(annotations?["mine"] == .string("kept") && TestCluster.nodePortsByName(upgraded) == nodePorts)
        #expect(try await client.get("\(Self.deployments)/kubesphere-router-demo").json["spec"]?["replicas"] == .int(3))
        let gateway = try await client.get("\(Self.gateways)/kubesphere-router-demo").json
        #expect(Self.condition(gateway, "Deployed")?["reason"] == .string("UpgradeSuccessful"))
    }

    @Test("on its reconcile period the release puts back a Service type someone changed")
    func periodicReconcile() async throws {
        let (server, client) = try await Self.start(mode: .manual)
        defer { Task { await server.stop() } }
        _ = try await client.send("POST", Self.gateways, body: Self.gateway(project: "demo"))
        let controllers = TestKubeSphereControllers(cluster: server.cluster)
        controllers.reconcile()
        let changed = try await client.patch("\(Self.services)/kubesphere-router-demo", #"{"spec":{"type":"LoadBalancer"}}"#, type: .merge)
        #expect(changed.json["spec"]?["type"] == .string("LoadBalancer"))
        let timer = controllers.reconcilePeriodically(every: .milliseconds(20))
        let restored = await eventually(10) {
            server.cluster.object(TestResource.services, namespace: "kubesphere-controls-system", name: "kubesphere-router-demo")?["spec"]?["type"]
                == .string("NodePort")
        }
        timer.cancel()
        await timer.value
        #expect(restored)
    }

    @Test("deleting the CR uninstalls the release: its Service and Deployment go, then the CR")
    func uninstall() async throws {
        let (server, client) = try await Self.start(mode: .automatic)
        defer { Task { await server.stop() } }
        _ = try await client.send("POST", Self.gateways, body: Self.gateway(project: "demo"))
        #expect(try await client.get("\(Self.services)/kubesphere-router-demo").status == 200)
        let deleted = try await client.send("DELETE", "\(Self.gateways)/kubesphere-router-demo")
        #expect(deleted.status == 200)
        #expect(try await client.get("\(Self.services)/kubesphere-router-demo").status == 404)
        #expect(try await client.get("\(Self.deployments)/kubesphere-router-demo").status == 404)
        #expect(try await client.get("\(Self.gateways)/kubesphere-router-demo").status == 404)
    }

    @Test("the gateway namespace comes from kubesphere-config; the cluster gateway is a CR with an empty scope")
    func gatewayNamespaceAndClusterGateway() async throws {
        let (server, client) = try await Self.start(mode: .manual) { cluster in
            try TestKubeSphereSeeds.seedKubeSphereConfig(into: cluster, gatewayNamespace: "kubesphere-gateways")
            try TestKubeSphereSeeds.seedGatewayCR(project: "demo", into: cluster, namespace: "kubesphere-gateways")
            try TestKubeSphereSeeds.seedClusterGateway(into: cluster)
            // Seeded and released at once: its Service is there before any test request.
            let released = try TestKubeSphereSeeds.seedReleasedGateway(project: "shop", type: "LoadBalancer", into: cluster, namespace: "kubesphere-gateways")
            #expect(released?["spec"]?["type"] == .string("LoadBalancer") && TestCluster.nodePorts(released ?? .null).count == 2)
        }
        defer { Task { await server.stop() } }
        let controllers = TestKubeSphereControllers(cluster: server.cluster)
        #expect(controllers.gatewayNamespace() == "kubesphere-gateways")
        controllers.reconcile()
        #expect(try await client.get("/api/v1/namespaces/kubesphere-gateways/services/kubesphere-router-demo").status == 200)
        // The cluster gateway's CR is in the default namespace, which this cluster does not use.
        #expect(try await client.get("\(Self.services)/kubesphere-router-kubesphere-system").status == 404)
        let cr = try await client.get("\(Self.gateways)/kubesphere-router-kubesphere-system").json
        #expect(cr["spec"]?["controller"]?["scope"]?["namespace"] == .string(""))
        #expect(cr["metadata"]?["annotations"]?["kubesphere.io/annotations"] != nil && cr["spec"]?["deployment"]?["resources"] != nil)
    }

    @Test("seeds of a KubeSphere-made cluster: the legacy router with its private image, probes, finalizer and governance; ks-router-config")
    func legacySeeds() async throws {
        let (server, client) = try await Self.start(mode: nil) { cluster in
            try TestKubeSphereSeeds.seedLegacyGateway(project: "legacy", into: cluster)
            try TestKubeSphereSeeds.seedClusterGateway(into: cluster, legacy: true)
            try TestKubeSphereSeeds.seedRouterConfig(into: cluster)
        }
        defer { Task { await server.stop() } }
        let service = try await client.get("\(Self.services)/kubesphere-router-legacy").json
        #expect(service["metadata"]?["annotations"]?["servicemesh.kubesphere.io/enabled"] == .string("true"))
        #expect(service["metadata"]?["labels"]?["component"] == .string("ks-router") && TestCluster.nodePorts(service).count == 2)
        let deployment = try await client.get("\(Self.deployments)/kubesphere-router-legacy").json
        let container = deployment["spec"]?["template"]?["spec"]?["containers"]?.items.first
        #expect(container?["image"] == .string(TestKubeSphereSeeds.legacyImage))
        #expect(container?["livenessProbe"]?["httpGet"]?["port"] == .int(10254) && container?["readinessProbe"] != nil)
        #expect(container?["args"]?.items.contains(.string("--election-id=kubesphere-router-legacy")) == true)
        #expect(deployment["metadata"]?["finalizers"]?.items.isEmpty == false)
        #expect(deployment["spec"]?["template"]?["metadata"]?["annotations"]?["sidecar.istio.io/inject"] == .string("true"))
        #expect(try await client.get("\(Self.services)/kubesphere-router-kubesphere-system").status == 200)
        let config = try await client.get("/api/v1/namespaces/kubesphere-system/configmaps/ks-router-config").json
        let template = try #require(config["data"]?["ingress-controller.yaml"]?.text)
        let parsed = try TestKubeSphereSeeds.yaml(template)
        #expect(parsed["kind"] == .string("Deployment") && template.contains(TestKubeSphereSeeds.legacyImage))
        let serviceTemplate = try TestKubeSphereSeeds.yaml(config["data"]?["ingress-controller-svc.yaml"]?.text ?? "")
        #expect(serviceTemplate["kind"] == .string("Service"))
    }

    // MARK: Helpers

    static func start(
        mode: TestCluster.ControllerMode?, _ configure: (TestCluster) throws -> Void = { _ in }
    ) async throws -> (TestAPIServer, TestHTTPClient) {
        let cluster = TestCluster()
        try TestKubeSphereSeeds.ensureNamespace("demo", in: cluster)
        try TestKubeSphereSeeds.ensureNamespace(TestKubeSphereControllers.defaultGatewayNamespace, in: cluster)
        if let mode { cluster.kubeSphereControllers = mode }
        try configure(cluster)
        let server = try await TestAPIServer.start(cluster)
        return (server, TestHTTPClient(url: server.url))
    }

    static func gateway(project: String, type: String = "NodePort", replicas: Int = 1, annotations: [String: String] = [:]) -> String {
        let list = annotations.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\"\($0.value)\"" }.joined(separator: ",")
        return """
            {"apiVersion":"gateway.kubesphere.io/v1alpha1","kind":"Gateway","metadata":{"name":"kubesphere-router-\(project)"},
             "spec":{"controller":{"replicas":\(replicas),"scope":{"enabled":true,"namespace":"\(project)"}},
              "deployment":{"replicas":\(replicas),"annotations":{"servicemesh.kubesphere.io/enabled":"false"}},
              "service":{"type":"\(type)","annotations":{\(list)}}}}
            """
    }

    static func condition(_ gateway: ManifestValue, _ type: String) -> ManifestValue? {
        gateway["status"]?["conditions"]?.items.first { $0["type"] == .string(type) }
    }
}
