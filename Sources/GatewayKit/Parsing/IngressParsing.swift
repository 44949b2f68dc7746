/// A `networking.k8s.io/v1` Ingress read back as a route.
extension ObjectParsing {
    static func ingress(_ root: ValueReader) -> KubeObject {
        let spec = root["spec"]
        let defaultBackend = spec["defaultBackend"]
        let rules = spec["rules"].list().map { rule in
            let paths = rule["http"]["paths"].list().map(path)
            // A rule without `http` is valid (a host alone); `http` without paths is not.
            if rule["http"].isPresent, paths.isEmpty { rule["http"]["paths"].refuse("Required value") }
            return RouteRule(host: rule["host"].string() ?? "", paths: paths)
        }
        let tls = spec["tls"].list().map { item in
            RouteTLS(hosts: item["hosts"].strings(), secretName: item["secretName"].string())
        }
        var route = Route(
            metadata: metadata(root), ingressClassName: spec["ingressClassName"].string(),
            defaultBackend: defaultBackend.isPresent ? backend(defaultBackend) : nil, rules: rules, tls: tls)
        route.stored = StoredManifest(unmodeledOf: root.value, kind: "Ingress")
        return .route(route)
    }

    private static func path(_ item: ValueReader) -> RoutePath {
        RoutePath(
            path: item["path"].string() ?? "", pathType: item["pathType"].oneOf(PathType.self),
            backend: backend(item["backend"]))
    }

    /// A Service backend; a `resource` backend (an object reference) is refused.
    private static func backend(_ backend: ValueReader) -> RouteBackend {
        if !backend.isPresent { backend.refuse("Required value") }
        let resource = backend["resource"]
        if resource.isPresent { resource.refuse("kgate routes only to Services, not to resource backends") }
        let service = backend["service"]
        if !service.isPresent && !resource.isPresent && backend.isPresent { service.refuse("Required value") }
        let port = service["port"]
        return RouteBackend(
            service: service.isPresent ? service["name"].requiredString() : "",
            portNumber: port["number"].int(), portName: port["name"].string())
    }
}
