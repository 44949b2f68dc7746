import GatewayKit
import Testing

/// A project gateway serves its own IngressClass and routes with none; a view shows
/// "not served by this gateway: class X" instead of a URL for any other.
@Suite("Ingress classes")
struct IngressClassTests {
    static func route(className: String? = nil, legacy: String? = nil) -> Route {
        var route = Seed.route()
        route.ingressClassName = className
        if let legacy { route.metadata.annotations[IngressClass.legacyAnnotation] = legacy }
        return route
    }

    @Test(arguments: [
        (nil, nil, nil),
        ("nginx", nil, nil),
        (nil, "nginx", nil),
        ("other", nil, "not served by this gateway: class other"),
        (nil, "traefik", "not served by this gateway: class traefik"),
        // The field wins over the legacy annotation, as in ingress-nginx.
        ("nginx", "traefik", nil),
    ] as [(String?, String?, String?)])
    func theChartDefaultClass(className: String?, legacy: String?, reason: String?) {
        let route = Self.route(className: className, legacy: legacy)
        let urls = AccessURL.all(route: route, gateway: Seed.view, conflicts: PathConflicts())
        #expect(Seed.view.ingressClass == "nginx")
        #expect(urls.map(\.notServed) == [reason])
        #expect(urls.map(\.url) == [reason == nil ? "http://demo.kubesphere.io:30798/" : nil])
    }

    @Test func theGatewaysOwnClass() {
        var gateway = Seed.gateway
        gateway.ingressClass = "kubesphere-router-demo"
        let view = GatewayView(gateway: gateway, nodes: [Seed.node])
        #expect(AccessURL.all(route: Self.route(className: "kubesphere-router-demo"), gateway: view, conflicts: PathConflicts()).map(\.notServed) == [nil])
        #expect(AccessURL.all(route: Self.route(), gateway: view, conflicts: PathConflicts()).map(\.notServed) == [nil])
        #expect(
            AccessURL.all(route: Self.route(className: "nginx"), gateway: view, conflicts: PathConflicts()).map(\.notServed) == ["not served by this gateway: class nginx"])
    }

    @Test func theClassSettingRoundTripsThroughTheGatewayManifest() {
        var gateway = Seed.gateway
        gateway.ingressClass = "kubesphere-router-demo"
        let text = ManifestRenderer.yaml([.gateway(gateway)])
        #expect(text.contains("ingressClassResource:"))
        let parsed = ManifestParser.parse(text, source: "gateway.yaml")
        #expect(parsed.problems.isEmpty)
        #expect(parsed.objects == [.gateway(gateway)])
    }
}

/// A route with only a default backend is listed, reached at the gateway's address.
@Suite("Default backend access")
struct DefaultBackendAccessTests {
    @Test func aDefaultBackendOnlyRouteIsReachedAtTheGatewayAddress() {
        var route = Seed.route()
        route.rules = []
        route.defaultBackend = RouteBackend(service: "web", port: 8080)
        let urls = AccessURL.all(route: route, gateway: Seed.view, conflicts: PathConflicts())
        #expect(urls.map(\.url) == ["http://139.198.0.20:30798/"])
        #expect(urls.map { "\($0.host)|\($0.path)|\($0.service):\($0.port)" } == ["|*|web:8080"])
    }
}
