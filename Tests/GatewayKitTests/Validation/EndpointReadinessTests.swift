import GatewayKit
import Testing

/// `conditions.ready: false` on an EndpointSlice endpoint is read, kept and written back;
/// an endpoint without the condition counts as ready, as Kubernetes reads it.
@Suite("Endpoint readiness")
struct EndpointReadinessTests {
    static let slice = """
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: web-a
          namespace: demo
          labels: {kubernetes.io/service-name: web}
        addressType: IPv4
        endpoints:
        - addresses: [10.0.0.1]
        - addresses: [10.0.0.2]
          conditions: {ready: false}
        - addresses: [10.0.0.3]
          conditions: {ready: true}
        ports:
        - {name: http, port: 8080, protocol: TCP}
        """

    @Test func readinessIsReadAndWrittenBack() throws {
        let parsed = ManifestParser.parse(Self.slice, source: "slice.yaml")
        #expect(parsed.problems.isEmpty)
        guard case .endpoints(let slice)? = parsed.objects.first else {
            Issue.record("no EndpointSlice in \(parsed.objects)")
            return
        }
        #expect(slice.addresses == ["10.0.0.1", "10.0.0.2", "10.0.0.3"])
        #expect(slice.notReadyAddresses == ["10.0.0.2"])
        let again = ManifestParser.parse(ManifestRenderer.yaml([.endpoints(slice)]), source: "again.yaml")
        #expect(again.objects == [.endpoints(slice)])
    }

    @Test func aConditionThatIsNotABooleanIsRefused() {
        let text = Self.slice.replacingOccurrences(of: "{ready: false}", with: "{ready: maybe}")
        let problems = ManifestParser.parse(text, source: "slice.yaml").problems.map(\.description)
        #expect(problems == ["slice.yaml (document 1): endpoints[1].conditions.ready: must be a boolean"])
    }
}
