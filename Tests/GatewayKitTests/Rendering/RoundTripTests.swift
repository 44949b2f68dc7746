import GatewayKit
import TestSupport
import Testing

@Suite("Manifests round-trip")
struct RoundTripTests {
    @Test("every kind, every field, alone", arguments: Samples.objects)
    func eachKind(_ object: KubeObject) {
        assertRoundTrip([object])
    }

    @Test("every kind together: multi-document YAML and a v1 List")
    func allKinds() {
        assertRoundTrip(Samples.objects)
    }

    @Test("gateway objects of both flavours", arguments: GatewayFlavor.allCases)
    func gatewayObjects(_ flavor: GatewayFlavor) {
        assertRoundTrip(ManifestRenderer.gatewayObjects(Samples.gateway, flavor: flavor))
        assertRoundTrip(ManifestRenderer.gatewayObjects(Samples.nodePortGateway, flavor: flavor))
    }

    @Test("optional fields left out come back left out")
    func sparseObjects() {
        assertRoundTrip([
            .project(Project(name: "bare")),
            .node(Node(metadata: ObjectMeta(name: "n"), addresses: [])),
            .service(BackendService(metadata: ObjectMeta(name: "s", namespace: "p"), ports: [])),
            .endpoints(BackendEndpoints(metadata: ObjectMeta(name: "e", namespace: "p"), serviceName: "s", addresses: [], ports: [])),
            .route(Route(metadata: ObjectMeta(name: "r", namespace: "p"), rules: [])),
            .gateway(Gateway(project: "p", ports: [])),
            .gateway(Gateway(project: "q", namespace: "")),
            .addressPool(AddressPool(metadata: ObjectMeta(name: "a"), address: "10.0.0.1")),
            .settings(WorkspaceSettings()),
            .settings(WorkspaceSettings(gatewayNamespace: "")),
        ])
    }

    @Test("gatewayObjects returns the flavour's kinds")
    func flavourKinds() {
        #expect(ManifestRenderer.gatewayObjects(Samples.gateway, flavor: .gatewayCRD).map(\.kind) == ["Gateway", "Service"])
        #expect(ManifestRenderer.gatewayObjects(Samples.gateway, flavor: .legacyRouter).map(\.kind) == ["Service", "Deployment"])
    }
}

@Suite("Gateway assembly")
struct GatewayAssemblyTests {
    @Test("a legacy gateway comes back from its parsed Service and Deployment")
    func legacy() {
        var gateway = Samples.gateway
        gateway.config = [:]  // the legacy flavour keeps no controller config
        let parsed = ManifestParser.parse(
            ManifestRenderer.yaml(ManifestRenderer.gatewayObjects(gateway, flavor: .legacyRouter)), source: "g").objects
        guard case .service(let service)? = parsed.first, case .routerDeployment(let deployment)? = parsed.last else {
            Issue.record("expected a Service and a Deployment, got \(parsed.map(\.kind))")
            return
        }
        #expect(GatewayObjects.legacyGateway(service: service, deployment: deployment) == gateway)
    }

    @Test("a Gateway CR takes node ports and addresses from its Service")
    func observing() {
        var stale = Samples.gateway
        stale.ports = GatewayPort.defaults
        stale.loadBalancerIngress = []
        let service = GatewayObjects.service(Samples.gateway, flavor: .gatewayCRD)
        #expect(GatewayObjects.gateway(stale, observing: service) == Samples.gateway)
    }

    @Test("a Service that is not a router's is not a gateway")
    func notRouter() {
        #expect(GatewayObjects.legacyGateway(service: Samples.service, deployment: nil) == nil)
    }
}
