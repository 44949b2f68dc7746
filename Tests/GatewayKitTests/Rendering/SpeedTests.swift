import Foundation
import GatewayKit
import Testing

/// DESIGN.md's performance note: 10,000 small Ingresses. The budget (render well under
/// 100 ms) holds for release builds; a debug build only reports its times.
@Suite("Speed")
struct SpeedTests {
    static let routes: [KubeObject] = (0..<10_000).map { index in
        .route(Route(
            metadata: ObjectMeta(
                name: "route-\(index)", namespace: "demo", annotations: [KubeSphereAnnotation.alias: "Route \(index)"],
                resourceVersion: String(index)),
            rules: [RouteRule(host: "r\(index).demo.kubesphere.io", paths: [
                RoutePath(path: "/", backend: RouteBackend(service: "web", port: 80)),
            ])],
            tls: index % 2 == 0 ? [RouteTLS(hosts: ["r\(index).demo.kubesphere.io"], secretName: "tls")] : []))
    }

    /// The best of five runs: the machine is shared, and the budget is about the code.
    private func best(_ work: () -> Void) -> Duration {
        let clock = ContinuousClock()
        #if DEBUG
        let runs = 1
        #else
        let runs = 5
        #endif
        return (0..<runs).map { _ in clock.measure(work) }.min() ?? .zero
    }

    @Test("10,000 Ingresses: render YAML and JSON, parse YAML and JSON")
    func tenThousandRoutes() {
        let clock = ContinuousClock()
        var yaml = ""
        var json = ""
        var trees: [ManifestValue] = []
        let buildTrees = best { trees = Self.routes.map(ManifestValue.init) }
        let emitYAML = best { _ = YAMLEmitter.documents(trees) }
        let renderYAML = best { yaml = ManifestRenderer.yaml(Self.routes) }
        let renderJSON = best { json = ManifestRenderer.json(Self.routes) }
        var fromYAML = 0
        var fromJSON = 0
        let parseYAML = clock.measure { fromYAML = ManifestParser.parse(yaml, source: "bench.yaml").objects.count }
        let parseJSON = clock.measure { fromJSON = ManifestParser.parse(json, source: "bench.json").objects.count }
        print("""
            speed (10,000 Ingresses, YAML \(yaml.utf8.count / 1024) KiB, JSON \(json.utf8.count / 1024) KiB): \
            trees \(buildTrees), emit YAML \(emitYAML), render YAML \(renderYAML), render JSON \(renderJSON), parse YAML \(parseYAML), parse JSON \(parseJSON)
            """)
        #expect(fromYAML == 10_000)
        #expect(fromJSON == 10_000)
        #if !DEBUG
        #expect(renderYAML < .milliseconds(100))
        #expect(renderJSON < .milliseconds(100))
        #endif
    }
}
