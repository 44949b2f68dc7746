import Foundation
import GatewayKit
import TestSupport
import Testing

/// Exact renders, compared with files in `Snapshots/`. `KGATE_RECORD_SNAPSHOTS=1`
/// rewrites them, and fails on purpose so that nobody records by accident.
@Suite("Golden renders")
struct GoldenRenderTests {
    static let cases: [(name: String, objects: [KubeObject])] = [
        ("namespace", [Samples.objects[0]]),
        ("node", [Samples.objects[1]]),
        ("service", [.service(Samples.service)]),
        ("endpointslice", [Samples.objects[3]]),
        ("secret", [Samples.objects[4]]),
        ("ingress", [.route(Samples.route)]),
        ("gateway-crd", ManifestRenderer.gatewayObjects(Samples.gateway, flavor: .gatewayCRD)),
        ("gateway-legacy", ManifestRenderer.gatewayObjects(Samples.gateway, flavor: .legacyRouter)),
        ("eip", [Samples.objects[8]]),
        ("settings", [Samples.objects[9]]),
    ]

    @Test("YAML", arguments: cases.map(\.name))
    func yaml(_ name: String) throws {
        try assertSnapshot(ManifestRenderer.yaml(objects(name)), named: "\(name).yaml")
    }

    @Test("JSON of the Ingress and of the CRD gateway (a v1 List)", arguments: ["ingress", "gateway-crd"])
    func json(_ name: String) throws {
        try assertSnapshot(ManifestRenderer.json(objects(name)), named: "\(name).json")
    }

    @Test("the seed's gateway: NodePort 30798/31279, as the inline text says")
    func seedGatewayInline() {
        let expected = """
            apiVersion: gateway.kubesphere.io/v1alpha1
            kind: Gateway
            metadata:
              name: kubesphere-router-demo
              namespace: kubesphere-controls-system
            spec:
              controller:
                replicas: 1
                scope:
                  enabled: true
                  namespace: demo
              service:
                type: NodePort
              deployment:
                replicas: 1
                annotations:
                  servicemesh.kubesphere.io/enabled: "false"
            status:
              loadBalancer: {}
              service:
              - name: http
                protocol: TCP
                port: 80
                targetPort: 80
                nodePort: 30798
              - name: https
                protocol: TCP
                port: 443
                targetPort: 443
                nodePort: 31279

            """
        assertEqualLines(ManifestRenderer.yaml([.gateway(Samples.nodePortGateway)]), expected)
    }

    @Test("no objects: empty YAML, an empty List in JSON")
    func empty() {
        #expect(ManifestRenderer.yaml([]) == "")
        #expect(ManifestRenderer.json([]) == "{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"List\",\n  \"items\": []\n}\n")
    }

    private func objects(_ name: String) -> [KubeObject] {
        Self.cases.first { $0.name == name }?.objects ?? []
    }
}

private func assertSnapshot(_ actual: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots/\(name)")
    if ProcessInfo.processInfo.environment["KGATE_RECORD_SNAPSHOTS"] == "1" {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(actual.utf8).write(to: url)
        Issue.record("recorded \(name); run again without KGATE_RECORD_SNAPSHOTS", sourceLocation: sourceLocation)
        return
    }
    guard let data = FileManager.default.contents(atPath: url.path) else {
        Issue.record("no snapshot \(url.path); record with KGATE_RECORD_SNAPSHOTS=1", sourceLocation: sourceLocation)
        return
    }
    assertEqualLines(actual, String(decoding: data, as: UTF8.self), sourceLocation: sourceLocation)
}
