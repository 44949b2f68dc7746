import GatewayKit

/// Small projects to convert, built in code so that the tests depend on nothing outside.
enum ConversionSamples {
    static func backend(_ service: String, _ port: Int) -> RouteBackend { RouteBackend(service: service, port: port) }

    static func route(
        _ name: String, rules: [RouteRule], tls: [RouteTLS] = [], defaultBackend: RouteBackend? = nil,
        annotations: [String: String] = [:]
    ) -> Route {
        Route(
            metadata: ObjectMeta(name: name, namespace: "demo", annotations: annotations),
            defaultBackend: defaultBackend, rules: rules, tls: tls)
    }

    static func inventory(_ routes: [Route], services: [BackendService] = []) -> Inventory {
        Inventory(
            projects: [Project(name: "demo")], services: services, routes: routes,
            gateways: [Gateway(project: "demo")])
    }

    /// One Ingress with a Prefix path, served over http and https.
    static let web = route(
        "web",
        rules: [RouteRule(host: "demo.example.com", paths: [RoutePath(path: "/", pathType: .prefix, backend: backend("web", 80))])],
        tls: [RouteTLS(hosts: ["demo.example.com"], secretName: "demo-tls")],
        annotations: ["kubesphere.io/alias-name": "Web", "nginx.ingress.kubernetes.io/ssl-redirect": "false"])

    static func convert(_ routes: [Route], services: [BackendService] = []) -> GatewayAPISet {
        GatewayAPIConversion.convert(inventory(routes, services: services), project: "demo")
    }
}
