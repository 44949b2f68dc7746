import GatewayKit
import TestSupport
import Testing

@Suite("Gateway API conversion")
struct ConversionTests {
    typealias S = ConversionSamples

    @Test("an Ingress with TLS becomes a Gateway with HTTP and HTTPS listeners, an HTTPRoute and a ReferenceGrant")
    func wholeSet() {
        let text = GatewayAPIRenderer.yaml(S.convert([S.web]))
        let expected = """
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              name: kubesphere-router-demo
              namespace: kubesphere-controls-system
            spec:
              gatewayClassName: nginx
              listeners:
              - name: demo-example-com-http
                hostname: demo.example.com
                port: 80
                protocol: HTTP
                allowedRoutes:
                  namespaces:
                    from: Selector
                    selector:
                      matchLabels:
                        kubernetes.io/metadata.name: demo
                  kinds:
                  - group: gateway.networking.k8s.io
                    kind: HTTPRoute
              - name: demo-example-com-https
                hostname: demo.example.com
                port: 443
                protocol: HTTPS
                tls:
                  mode: Terminate
                  certificateRefs:
                  - kind: Secret
                    name: demo-tls
                    namespace: demo
                allowedRoutes:
                  namespaces:
                    from: Selector
                    selector:
                      matchLabels:
                        kubernetes.io/metadata.name: demo
                  kinds:
                  - group: gateway.networking.k8s.io
                    kind: HTTPRoute
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: web
              namespace: demo
              annotations:
                kubesphere.io/alias-name: Web
            spec:
              parentRefs:
              - name: kubesphere-router-demo
                namespace: kubesphere-controls-system
              hostnames:
              - demo.example.com
              rules:
              - matches:
                - path:
                    type: PathPrefix
                    value: /
                backendRefs:
                - name: web
                  port: 80
            ---
            apiVersion: gateway.networking.k8s.io/v1beta1
            kind: ReferenceGrant
            metadata:
              name: kubesphere-router-demo-certificates
              namespace: demo
            spec:
              from:
              - group: gateway.networking.k8s.io
                kind: Gateway
                namespace: kubesphere-controls-system
              to:
              - group: ""
                kind: Secret
                name: demo-tls

            """
        #expect(text == expected, Comment(rawValue: lineDiff(expected: expected, actual: text)))
    }

    @Test("the same project renders the same bytes whatever the order of its routes and annotations")
    func deterministic() {
        let other = S.route("api", rules: [RouteRule(host: "api.example.com", paths: [RoutePath(path: "/v1", pathType: .exact, backend: S.backend("api", 8080))])],
            annotations: ["nginx.ingress.kubernetes.io/proxy-body-size": "8m", "nginx.ingress.kubernetes.io/enable-cors": "true"])
        let first = S.convert([S.web, other])
        let second = S.convert([other, S.web])
        #expect(GatewayAPIRenderer.yaml(first) == GatewayAPIRenderer.yaml(second))
        #expect(GatewayAPIRenderer.json(first) == GatewayAPIRenderer.json(second))
        #expect(first.notes == second.notes)
    }

    @Test("path types: Prefix → PathPrefix, Exact → Exact, ImplementationSpecific → PathPrefix with a note when it matches by characters")
    func pathTypes() {
        let paths = [
            RoutePath(path: "/a", pathType: .prefix, backend: S.backend("web", 80)),
            RoutePath(path: "/b", pathType: .exact, backend: S.backend("web", 80)),
            RoutePath(path: "/c", pathType: .implementationSpecific, backend: S.backend("web", 80)),
            RoutePath(path: "/d/", pathType: .implementationSpecific, backend: S.backend("web", 80)),
        ]
        let set = S.convert([S.route("r", rules: [RouteRule(host: "a.example.com", paths: paths)])])
        let matches = set.routes[0].rules.flatMap(\.matches)
        #expect(matches == [
            APIPathMatch(type: "PathPrefix", value: "/a"), APIPathMatch(type: "Exact", value: "/b"),
            APIPathMatch(type: "PathPrefix", value: "/c"), APIPathMatch(type: "PathPrefix", value: "/d/"),
        ])
        #expect(set.notes.map(\.field.description) == ["spec.rules[0].http.paths[2].pathType"])
    }

    @Test("a named port is resolved through the Service; an unknown one is noted and leaves the rule without a backend")
    func namedPorts() {
        let service = BackendService(metadata: ObjectMeta(name: "web", namespace: "demo"), ports: [ServicePort(name: "http", port: 8080)])
        let paths = [
            RoutePath(path: "/", pathType: .prefix, backend: RouteBackend(service: "web", portName: "http")),
            RoutePath(path: "/x", pathType: .prefix, backend: RouteBackend(service: "web", portName: "grpc")),
        ]
        let set = S.convert([S.route("r", rules: [RouteRule(host: "a.example.com", paths: paths)])], services: [service])
        #expect(set.routes[0].rules.map(\.backendRefs) == [[APIBackendReference(name: "web", port: 8080)], []])
        #expect(set.notes.map(\.description) == [
            "Ingress r: spec.rules[0].http.paths[1].backend.service.port.name: Service web has no port named grpc; the rule has no backend",
        ])
    }

    @Test("a default backend becomes a rule with no match in a route with no hostnames, beside an HTTP listener with no hostname")
    func defaultBackend() {
        let set = S.convert([S.route("fallback", rules: [], defaultBackend: S.backend("web", 80))])
        #expect(set.routes.count == 1)
        #expect(set.routes[0].hostnames.isEmpty)
        #expect(set.routes[0].rules == [APIRouteRule(matches: [], filters: [], backendRefs: [APIBackendReference(name: "web", port: 80)])])
        #expect(set.gateway.listeners.map(\.name) == ["http"])
        #expect(set.gateway.listeners[0].hostname == nil)
    }

    @Test("an Ingress whose rules name two hosts becomes one HTTPRoute per host, and says so")
    func severalHosts() {
        let set = S.convert([S.route("r", rules: [
            RouteRule(host: "a.example.com", paths: [RoutePath(path: "/", pathType: .prefix, backend: S.backend("a", 80))]),
            RouteRule(host: "*.b.example.com", paths: [RoutePath(path: "/", pathType: .prefix, backend: S.backend("b", 80))]),
        ])])
        #expect(set.routes.map(\.name) == ["r-a-example-com", "r-wildcard-b-example-com"])
        #expect(set.routes.map(\.hostnames) == [["a.example.com"], ["*.b.example.com"]])
        #expect(set.gateway.listeners.map(\.name) == ["wildcard-b-example-com-http", "a-example-com-http"])
        #expect(set.notes(ingress: "r").map(\.field.description) == ["spec.rules"])
    }

    @Test("every ingress-nginx annotation without an equivalent is noted by its key; standard filters are used where they exist")
    func annotations() {
        let annotations = [
            "nginx.ingress.kubernetes.io/service-upstream": "true",
            "nginx.ingress.kubernetes.io/proxy-body-size": "8m",
            "nginx.ingress.kubernetes.io/upstream-vhost": "internal.example.com",
            "nginx.ingress.kubernetes.io/x-forwarded-prefix": "/app",
            "nginx.ingress.kubernetes.io/rewrite-target": "/",
        ]
        let set = S.convert([S.route("r", rules: [RouteRule(host: "a.example.com", paths: [
            RoutePath(path: "/app", pathType: .prefix, backend: S.backend("web", 80)),
            RoutePath(path: "/exact", pathType: .exact, backend: S.backend("web", 80)),
        ])], annotations: annotations)])
        let keys = set.notes.map(\.field.description)
        #expect(keys.contains("metadata.annotations[nginx.ingress.kubernetes.io/service-upstream]"))
        #expect(keys.contains("metadata.annotations[nginx.ingress.kubernetes.io/proxy-body-size]"))
        #expect(keys.contains("metadata.annotations[nginx.ingress.kubernetes.io/rewrite-target]"))
        #expect(!keys.contains("metadata.annotations[nginx.ingress.kubernetes.io/upstream-vhost]"))
        let headers = APIRouteFilter.setRequestHeaders([APIHeader(name: "X-Forwarded-Prefix", value: "/app")])
        #expect(set.routes[0].rules.map(\.filters) == [
            [headers, .urlRewrite(hostname: "internal.example.com", path: .replacePrefixMatch("/"))],
            [headers, .urlRewrite(hostname: "internal.example.com", path: .replaceFullPath("/"))],
        ])
        #expect(set.routes[0].metadata.annotations.isEmpty)
    }

    @Test("an upstream-vhost that is no precise host name, and an empty x-forwarded-prefix, are noted, not converted")
    func unusableValues() {
        let set = S.convert([S.route("r", rules: [RouteRule(host: "a.example.com", paths: [
            RoutePath(path: "/", pathType: .prefix, backend: S.backend("web", 80)),
        ])], annotations: [
            "nginx.ingress.kubernetes.io/upstream-vhost": "$host", "nginx.ingress.kubernetes.io/x-forwarded-prefix": "",
        ])])
        #expect(set.routes[0].rules[0].filters.isEmpty)
        #expect(set.notes.map(\.field.description) == [
            "metadata.annotations[nginx.ingress.kubernetes.io/upstream-vhost]",
            "metadata.annotations[nginx.ingress.kubernetes.io/x-forwarded-prefix]",
        ])
    }

    @Test("a permanent redirect becomes a RequestRedirect filter with the URL's parts and the code")
    func redirect() {
        let set = S.convert([S.route("r", rules: [RouteRule(host: "a.example.com", paths: [
            RoutePath(path: "/", pathType: .prefix, backend: S.backend("web", 80)),
        ])], annotations: [
            "nginx.ingress.kubernetes.io/permanent-redirect": "https://new.example.com:8443/landing",
            "nginx.ingress.kubernetes.io/permanent-redirect-code": "308",
        ])])
        #expect(set.routes[0].rules[0].filters == [.requestRedirect(APIRedirect(
            scheme: "https", hostname: "new.example.com", port: 8443, replaceFullPath: "/landing", statusCode: 308))])
        #expect(set.notes.isEmpty)
    }

    @Test("regex paths become RegularExpression matches, noted; a rewrite with capture groups is noted as not converted")
    func regexPaths() {
        let set = S.convert([S.route("r", rules: [RouteRule(host: "a.example.com", paths: [
            RoutePath(path: "/api(/|$)(.*)", pathType: .implementationSpecific, backend: S.backend("web", 80)),
        ])], annotations: [
            "nginx.ingress.kubernetes.io/use-regex": "true", "nginx.ingress.kubernetes.io/rewrite-target": "/$2",
        ])])
        #expect(set.routes[0].rules[0].matches == [APIPathMatch(type: "RegularExpression", value: "/api(/|$)(.*)")])
        #expect(set.routes[0].rules[0].filters.isEmpty)
        #expect(set.notes.count == 2)
    }

    @Test("a TLS host's route attaches to its HTTPS listener, and a 308 to https answers on its HTTP one, as ingress-nginx's ssl-redirect; a TLS section without a Secret makes no listener")
    func tlsRedirect() {
        let route = S.route("r", rules: [RouteRule(host: "a.example.com", paths: [
            RoutePath(path: "/", pathType: .prefix, backend: S.backend("web", 80)),
        ])], tls: [RouteTLS(hosts: ["a.example.com"], secretName: nil), RouteTLS(hosts: ["a.example.com"], secretName: "a-tls")])
        let set = S.convert([route])
        #expect(set.gateway.listeners.map(\.name) == ["a-example-com-http", "a-example-com-https"])
        #expect(set.notes.map(\.field.description) == ["spec.tls[0].secretName"])
        #expect(set.referenceGrants.map(\.secretNames) == [["a-tls"]])
        #expect(set.routes.map(\.name) == ["r", "r-https-redirect"])
        #expect(set.routes.map { $0.parentRefs.map(\.sectionName) } == [["a-example-com-https"], ["a-example-com-http"]])
        #expect(set.routes[1].rules == [APIRouteRule(matches: [], filters: [.requestRedirect(APIRedirect(
            scheme: "https", hostname: nil, port: nil, replaceFullPath: nil, statusCode: 308))], backendRefs: [])])
        #expect(GatewayAPIValidator.errors(set) == [])
        var plain = route
        plain.metadata.annotations["nginx.ingress.kubernetes.io/ssl-redirect"] = "false"
        #expect(S.convert([plain]).routes.map(\.name) == ["r"])
        plain.metadata.annotations["nginx.ingress.kubernetes.io/force-ssl-redirect"] = "true"
        #expect(S.convert([plain]).routes.map(\.name) == ["r", "r-https-redirect"])
        #expect(S.convert([plain]).notes.map(\.field.description) == ["spec.tls[0].secretName"])
    }

    @Test("a project with no gateway still gets the Gateway its routes need, with a note")
    func noGateway() {
        var inventory = S.inventory([S.web])
        inventory.gateways = []
        let set = GatewayAPIConversion.convert(inventory, project: "demo")
        #expect(set.gateway.name == "kubesphere-router-demo")
        #expect(set.notes.first?.ingress == "")
    }
}

