import GatewayKit
import Testing

@Suite("Route validation")
struct RouteValidationTests {
    @Test func sampleIsValid() {
        #expect(Validate.route(ValidationSamples.route) == [])
    }

    /// One broken field each, and the exact path the form will look for.
    @Test(arguments: [
        Breakage<Route>("name with an underscore", "metadata.name") { r in r.metadata.name = "web_v1" },
        Breakage<Route>("name missing", "metadata.name") { r in r.metadata.name = "" },
        Breakage<Route>("project", "metadata.namespace") { r in r.metadata.namespace = "Demo" },
        Breakage<Route>("alias 64", "metadata.annotations[kubesphere.io/alias-name]") { r in r.alias = repeated("路", 64) },
        Breakage<Route>("description 257", "metadata.annotations[kubesphere.io/description]") { r in r.description = repeated("d", 257) },
        Breakage<Route>("label key", "metadata.labels[bad key]") { r in r.metadata.labels["bad key"] = "x" },
        Breakage<Route>("label value", "metadata.labels[app]") { r in r.metadata.labels["app"] = "-web" },
        Breakage<Route>("snippet", "metadata.annotations[nginx.ingress.kubernetes.io/configuration-snippet]") { r in r.metadata.annotations["nginx.ingress.kubernetes.io/configuration-snippet"] = "deny all;" },
        Breakage<Route>("class", "spec.ingressClassName") { r in r.ingressClassName = "Nginx" },
        Breakage<Route>("no rules and no default backend", "spec") { r in r.rules = [] },
        Breakage<Route>("ip host", "spec.rules[0].host") { r in r.rules[0].host = "1.2.3.4" },
        Breakage<Route>("upper host", "spec.rules[0].host") { r in r.rules[0].host = "App.example.com" },
        Breakage<Route>("path", "spec.rules[0].http.paths[1].path") { r in r.rules[0].paths[1].path = "/a//b" },
        Breakage<Route>("path type", "spec.rules[0].http.paths[1].pathType") { r in r.rules[0].paths[1].pathType = nil },
        Breakage<Route>("service", "spec.rules[0].http.paths[1].backend.service.name") { r in r.rules[0].paths[1].backend.service = "1web" },
        Breakage<Route>("no service", "spec.rules[0].http.paths[0].backend.service.name") { r in r.rules[0].paths[0].backend.service = "" },
        Breakage<Route>("port number", "spec.rules[0].http.paths[0].backend.service.port.number") { r in r.rules[0].paths[0].backend.portNumber = 0 },
        Breakage<Route>("port name", "spec.rules[0].http.paths[1].backend.service.port.name") { r in r.rules[0].paths[1].backend.portName = "http--x" },
        Breakage<Route>("both ports", "spec.rules[0].http.paths[1].backend.service.port") { r in r.rules[0].paths[1].backend.portNumber = 80 },
        Breakage<Route>("no port", "spec.rules[0].http.paths[0].backend.service.port") { r in r.rules[0].paths[0].backend.portNumber = nil },
        Breakage<Route>("tls host", "spec.tls[0].hosts[1]") { r in r.tls[0].hosts = ["demo.kubesphere.io", "*"] },
        Breakage<Route>("tls secret", "spec.tls[0].secretName") { r in r.tls[0].secretName = "Demo_TLS" },
        Breakage<Route>("default backend", "spec.defaultBackend.service.port") { r in r.defaultBackend = RouteBackend(service: "web") },
        Breakage<Route>("version", "metadata.resourceVersion") { r in r.metadata.resourceVersion = "1\n2" },
        Breakage<Route>("alias newline", "metadata.annotations[kubesphere.io/alias-name]") { r in r.alias = "a\nb" },
        Breakage<Route>("alias escape", "metadata.annotations[kubesphere.io/alias-name]") { r in r.alias = "a\u{1B}[2Jb" },
    ])
    func refusesOneField(_ breakage: Breakage<Route>) {
        let errors = Validate.route(breakage.applied(to: ValidationSamples.route))
        #expect(paths(errors) == [breakage.path], "\(errors)")
    }

    @Test func wording() {
        var route = ValidationSamples.route
        route.rules[0].host = "1.2.3.4"
        route.rules[0].paths[0].backend.portNumber = nil
        route.rules[0].paths[1].backend.portNumber = 80
        #expect(Validate.route(route) == [
            FieldError("spec.rules[0].host", "must be a DNS name, not an IP address"),
            FieldError("spec.rules[0].http.paths[0].backend.service.port", "port name or number is required"),
            FieldError("spec.rules[0].http.paths[1].backend.service.port", "cannot set both port name & port number"),
        ])
    }

    /// Kubernetes refuses none of these; the gateway serves the first claim of a path.
    @Test func whatKubernetesAcceptsIsAccepted() {
        var defaultOnly = ValidationSamples.route
        defaultOnly.rules = []
        defaultOnly.tls = []
        defaultOnly.defaultBackend = RouteBackend(service: "web", port: 80)
        #expect(Validate.route(defaultOnly) == [])

        var route = ValidationSamples.route
        route.metadata.name = "web.v1"
        route.tls = [RouteTLS(hosts: ["10.0.0.1", "*.example.com"], secretName: nil), RouteTLS(hosts: ["a.example.com"], secretName: "")]
        route.rules.append(RouteRule(host: "", paths: [RoutePath(path: "", pathType: .implementationSpecific, backend: RouteBackend(service: "web", port: 80))]))
        #expect(Validate.route(route) == [])

        route.rules[1].paths[0].pathType = .prefix
        #expect(Validate.route(route) == [FieldError("spec.rules[1].http.paths[0].path", "must be an absolute path")])
    }

    /// A rule may be a host alone (no `http`), but an `http` needs its paths.
    @Test func aRuleWithoutHTTPIsValidAndHTTPWithoutPathsIsNot() {
        let manifest = """
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: web, namespace: demo}
            spec:
              defaultBackend: {service: {name: web, port: {number: 80}}}
              rules:
              - host: a.example.com%HTTP%
            """
        let hostOnly = ManifestParser.parse(manifest.replacingOccurrences(of: "%HTTP%", with: ""), source: "web.yaml")
        #expect(hostOnly.problems.isEmpty)
        let routes = hostOnly.objects.compactMap { if case .route(let route) = $0 { route } else { nil } }
        #expect(routes.map { $0.rules.map(\.host) } == [["a.example.com"]])
        #expect(routes.flatMap(Validate.route) == [])
        let noPaths = ManifestParser.parse(manifest.replacingOccurrences(of: "%HTTP%", with: "\n    http: {paths: []}"), source: "web.yaml")
        #expect(noPaths.problems.map(\.description) == ["web.yaml (document 1): spec.rules[0].http.paths: Required value"])
    }

    @Test func duplicatePathUnderOneHost() {
        var route = ValidationSamples.route
        route.rules.append(RouteRule(host: "demo.kubesphere.io", paths: [
            RoutePath(path: "/other", pathType: .prefix, backend: RouteBackend(service: "web", port: 80)),
            RoutePath(path: "/api", pathType: .prefix, backend: RouteBackend(service: "web", port: 80)),
            RoutePath(path: "/api", pathType: .exact, backend: RouteBackend(service: "web", port: 80)),
        ]))
        route.rules.append(RouteRule(host: "other.example.com", paths: [
            RoutePath(path: "/api", pathType: .prefix, backend: RouteBackend(service: "web", port: 80))
        ]))
        #expect(Validate.route(route) == [])
    }

    @Test func wildcardAndEmptyHostsAreAccepted() {
        var route = ValidationSamples.route
        route.rules[0].host = "*.example.com"
        route.rules.append(RouteRule(host: "", paths: [RoutePath(backend: RouteBackend(service: "web", port: 80))]))
        route.tls = [RouteTLS(hosts: ["*.example.com"], secretName: "wild-tls")]
        #expect(Validate.route(route) == [])
    }

    @Test func annotationsTotalSize() {
        var route = ValidationSamples.route
        route.metadata.annotations["example.com/big"] = repeated("x", 256 * 1024)
        #expect(paths(Validate.route(route)) == ["metadata.annotations"])
        route.metadata.annotations = ["example.com/big": repeated("x", 256 * 1024 - "example.com/big".utf8.count)]
        #expect(Validate.route(route) == [])
    }

    @Test func everyErrorIsReported() {
        var route = ValidationSamples.route
        route.metadata.name = "Bad_Name"
        route.rules[0].host = "*.*.example.com"
        route.rules[0].paths[0].path = "/a;b"
        route.tls[0].secretName = "Demo_TLS"
        #expect(paths(Validate.route(route)) == [
            "metadata.name", "spec.rules[0].host", "spec.rules[0].http.paths[0].path", "spec.tls[0].secretName",
        ])
    }

    @Test func hostileAnnotationKeyKeepsThePathOnOneLine() {
        var route = ValidationSamples.route
        route.metadata.annotations["a\nb"] = "x"
        let errors = Validate.route(route)
        #expect(paths(errors) == [#"metadata.annotations[a\nb]"#])
        #expect(!errors.description.contains("\n"))
    }
}
