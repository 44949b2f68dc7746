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

    @Test("10,000 Ingresses: render YAML and JSON, parse YAML and JSON")
    func tenThousandRoutes() {
        let clock = ContinuousClock()
        var yaml = ""
        var json = ""
        let renderYAML = clock.measure { yaml = ManifestRenderer.yaml(Self.routes) }
        let renderJSON = clock.measure { json = ManifestRenderer.json(Self.routes) }
        var fromYAML = 0
        var fromJSON = 0
        let parseYAML = clock.measure { fromYAML = ManifestParser.parse(yaml, source: "bench.yaml").objects.count }
        let parseJSON = clock.measure { fromJSON = ManifestParser.parse(json, source: "bench.json").objects.count }
        print("""
            speed (10,000 Ingresses, YAML \(yaml.utf8.count / 1024) KiB, JSON \(json.utf8.count / 1024) KiB): \
            render YAML \(renderYAML), render JSON \(renderJSON), parse YAML \(parseYAML), parse JSON \(parseJSON)
            """)
        #expect(fromYAML == 10_000)
        #expect(fromJSON == 10_000)
        #if !DEBUG
        #expect(renderYAML < .milliseconds(100))
        #expect(renderJSON < .milliseconds(100))
        #endif
    }
}
