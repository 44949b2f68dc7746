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

    /// Every golden file: `<case>.yaml`, plus JSON of the Ingress and of the CRD gateway
    /// (a v1 List).
    static var renders: [(name: String, text: String)] {
        cases.map { ("\($0.name).yaml", ManifestRenderer.yaml($0.objects)) }
            + cases.filter { ["ingress", "gateway-crd"].contains($0.name) }
            .map { ("\($0.name).json", ManifestRenderer.json($0.objects)) }
    }

    @Test("every kind renders exactly as its snapshot")
    func snapshots() throws {
        if ProcessInfo.processInfo.environment["KGATE_RECORD_SNAPSHOTS"] == "1" {
            try recordSnapshots(Self.renders)
            Issue.record("recorded Snapshots/GoldenSnapshots.swift; run again without KGATE_RECORD_SNAPSHOTS")
            return
        }
        for (name, text) in Self.renders {
            guard let expected = GoldenSnapshots.all[name] else {
                Issue.record("no snapshot \(name); record with KGATE_RECORD_SNAPSHOTS=1")
                continue
            }
            assertEqualLines(text, expected)
        }
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
}

/// Writes the snapshots as Swift source (raw string literals), so that they are compiled
/// into the tests rather than read as resources at run time.
private func recordSnapshots(_ renders: [(name: String, text: String)]) throws {
    var source = "// Recorded by GoldenRenderTests with KGATE_RECORD_SNAPSHOTS=1. Do not edit by hand.\n\n"
    source += "enum GoldenSnapshots {\n    static let all: [String: String] = [\n"
    for (name, text) in renders {
        source += "        \"\(name)\": #\"\"\"\n\(text)\n\"\"\"#,\n"
    }
    source += "    ]\n}\n"
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots/GoldenSnapshots.swift")
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(source.utf8).write(to: url)
}
