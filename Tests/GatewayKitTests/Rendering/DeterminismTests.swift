import GatewayKit
import Testing

@Suite("Deterministic rendering")
struct DeterminismTests {
    @Test("the same model renders the same bytes, whatever its dictionaries' order")
    func sameBytes() {
        let first = ManifestRenderer.yaml(Samples.objects)
        #expect(ManifestRenderer.yaml(Samples.objects) == first)
        // The same dictionaries, built in the opposite order (so with other internal order).
        var route = Samples.route
        route.metadata.annotations = Dictionary(uniqueKeysWithValues: route.metadata.annotations.sorted { $0.key > $1.key })
        route.metadata.labels = Dictionary(uniqueKeysWithValues: route.metadata.labels.sorted { $0.key > $1.key })
        #expect(ManifestRenderer.yaml([.route(route)]) == ManifestRenderer.yaml([.route(Samples.route)]))
        var models = HostileModels(seed: 7)
        let objects = models.objects()
        #expect(ManifestRenderer.json(objects) == ManifestRenderer.json(objects))
    }

    @Test("rendering a gateway twice never doubles the controller arguments")
    func noAppendedArguments() {
        let once = ManifestRenderer.yaml(ManifestRenderer.gatewayObjects(Samples.gateway, flavor: .legacyRouter))
        let parsed = ManifestParser.parse(once, source: "g").objects
        let twice = ManifestRenderer.yaml(parsed)
        #expect(twice == once)
        #expect(once.components(separatedBy: "--watch-namespace=demo").count == 2)
    }

    @Test("map-like fields are sorted by key; the object keeps Kubernetes' order")
    func order() {
        let yaml = ManifestRenderer.yaml([.service(Samples.service)])
        let keys = yaml.split(separator: "\n").filter { !$0.hasPrefix(" ") }.map { $0.split(separator: ":")[0] }
        #expect(keys == ["apiVersion", "kind", "metadata", "spec", "status"])
        #expect(yaml.contains("  selector:\n    app: web\n    tier: frontend\n"))
    }
}
