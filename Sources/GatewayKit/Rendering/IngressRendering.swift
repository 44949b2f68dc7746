/// A route as a `networking.k8s.io/v1` Ingress. The alias and description are
/// annotations of its metadata, rendered with the rest.
func ingressManifest(_ route: Route) -> ManifestValue {
    var map = objectHeader(kind: "Ingress")
    map.add("metadata", metadataManifest(route.metadata))
    var spec = MapBuilder()
    spec.add("ingressClassName", route.ingressClassName)
    if let backend = route.defaultBackend { spec.add("defaultBackend", backendManifest(backend)) }
    spec.addList("rules", route.rules.map(ruleManifest))
    spec.addList("tls", route.tls.map { tls in
        var item = MapBuilder()
        item.addStrings("hosts", tls.hosts)
        item.add("secretName", tls.secretName)
        return item.value
    })
    map.add("spec", spec.value)
    return map.value
}

private func ruleManifest(_ rule: RouteRule) -> ManifestValue {
    var map = MapBuilder()
    map.addNonEmpty("host", rule.host)
    if !rule.paths.isEmpty {
        map.add("http", .map([.init("paths", .list(rule.paths.map(pathManifest)))]))
    }
    return map.value
}

private func pathManifest(_ path: RoutePath) -> ManifestValue {
    var map = MapBuilder()
    map.addNonEmpty("path", path.path)
    map.add("pathType", path.pathType?.rawValue)
    map.add("backend", backendManifest(path.backend))
    return map.value
}

/// `{service: {name, port: {number}}}` or `port: {name}`. Both, or neither, are written as
/// they are, so that validation can report them rather than the renderer hiding them.
private func backendManifest(_ backend: RouteBackend) -> ManifestValue {
    var port = MapBuilder()
    port.add("number", backend.portNumber)
    port.add("name", backend.portName)
    var service = MapBuilder()
    service.add("name", backend.service)
    if !port.fields.isEmpty { service.add("port", port.value) }
    return .map([.init("service", service.value)])
}
