import GatewayKit
import Testing

@Suite("Gateway API conversion output is valid")
struct ConversionValidityTests {
    typealias S = ConversionSamples

    @Test("an Ingress with more paths than an HTTPRoute holds is split, noted, and every part is valid")
    func manyPaths() {
        let paths = (0..<20).map { RoutePath(path: "/p\($0)", pathType: .prefix, backend: S.backend("web", 80)) }
        let set = S.convert([S.route("big", rules: [RouteRule(host: "a.example.com", paths: paths)])])
        #expect(set.routes.map(\.name) == ["big", "big-2"])
        #expect(set.routes.map(\.rules.count) == [16, 4])
        #expect(set.notes.map(\.field.description) == ["spec.rules"])
        #expect(GatewayAPIValidator.errors(set) == [])
    }

    @Test("a path Ingress accepts and Gateway API refuses is left out, with the API's reason")
    func refusedPath() {
        let set = S.convert([S.route("r", rules: [RouteRule(host: "a.example.com", paths: [
            RoutePath(path: "/a//b", pathType: .prefix, backend: S.backend("web", 80)),
            RoutePath(path: "/ok", pathType: .prefix, backend: S.backend("web", 80)),
        ])])])
        #expect(set.routes[0].rules.flatMap(\.matches) == [APIPathMatch(type: "PathPrefix", value: "/ok")])
        #expect(set.notes.map(\.description) == [
            "Ingress r: spec.rules[0].http.paths[0].path: must not contain '//' when type one of ['Exact', 'PathPrefix']; the path is left out",
        ])
        #expect(GatewayAPIValidator.errors(set) == [])
    }

    @Test("hosts near the 253-byte limit still give valid, distinct listener and route names")
    func longHosts() {
        let label = String(repeating: "a", count: 61)
        let hosts = ["b", "c"].map { "*.\(label).\(label).\(label).\($0)\(String(repeating: "x", count: 59))" }
        let rules = hosts.map { RouteRule(host: $0, paths: [RoutePath(path: "/", pathType: .prefix, backend: S.backend("web", 80))]) }
        let set = S.convert([S.route("r", rules: rules, tls: [RouteTLS(hosts: hosts, secretName: "t")])])
        #expect(GatewayAPIValidator.errors(set) == [])
        #expect(Set(set.gateway.listeners.map(\.name)).count == 4)
        #expect(Set(set.routes.map(\.name)).count == 4)
    }

    @Test("every kind of conversion above renders objects the validator accepts")
    func everySampleValid() {
        let annotated = S.route("annotated", rules: [RouteRule(host: "b.example.com", paths: [
            RoutePath(path: "/app", pathType: .prefix, backend: S.backend("web", 80)),
            RoutePath(path: "/exact", pathType: .exact, backend: S.backend("web", 80)),
            RoutePath(path: "/impl", pathType: .implementationSpecific, backend: S.backend("web", 80)),
        ])], annotations: [
            "nginx.ingress.kubernetes.io/rewrite-target": "/", "nginx.ingress.kubernetes.io/upstream-vhost": "in.example.com",
            "nginx.ingress.kubernetes.io/x-forwarded-prefix": "/app",
        ])
        let redirect = S.route("moved", rules: [RouteRule(host: "c.example.com", paths: [
            RoutePath(path: "/", pathType: .prefix, backend: S.backend("web", 80)),
        ])], annotations: ["nginx.ingress.kubernetes.io/permanent-redirect": "https://d.example.com/x"])
        let regex = S.route("regex", rules: [RouteRule(host: "e.example.com", paths: [
            RoutePath(path: "/api(/|$)(.*)", pathType: .implementationSpecific, backend: S.backend("web", 80)),
        ])], annotations: ["nginx.ingress.kubernetes.io/use-regex": "true", "nginx.ingress.kubernetes.io/rewrite-target": "/$2"])
        let fallback = S.route("fallback", rules: [], defaultBackend: S.backend("web", 80))
        let set = S.convert([S.web, annotated, redirect, regex, fallback])
        #expect(GatewayAPIValidator.errors(set) == [])
        #expect(set.routes.first { $0.name == "moved" }?.rules[0].backendRefs == [])
    }
}
