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
