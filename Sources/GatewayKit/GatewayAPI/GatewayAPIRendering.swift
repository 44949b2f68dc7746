/// Gateway API objects as manifests, through the same emitters as every other object, so
/// the output is deterministic to the byte.
public enum GatewayAPIRenderer {
    /// Gateway, then HTTPRoutes, then ReferenceGrants, as multi-document YAML.
    public static func yaml(_ set: GatewayAPISet) -> String { YAMLEmitter.documents(manifests(set)) }

    /// The same objects as a `v1` `List` in JSON.
    public static func json(_ set: GatewayAPISet) -> String {
        JSONEmitter.document(.map([
            .init("apiVersion", .string("v1")), .init("kind", .string("List")), .init("items", .list(manifests(set))),
        ]))
    }

    public static func manifests(_ set: GatewayAPISet) -> [ManifestValue] {
        [manifest(set.gateway)] + set.routes.map(manifest) + set.referenceGrants.map(manifest)
    }

    public static func manifest(_ gateway: APIGateway) -> ManifestValue {
        var map = header(kind: "Gateway", apiVersion: GatewayAPI.apiVersion)
        map.add("metadata", metadataManifest(ObjectMeta(name: gateway.name, namespace: gateway.namespace)))
        var spec = MapBuilder()
        spec.add("gatewayClassName", gateway.gatewayClassName)
        spec.add("listeners", .list(gateway.listeners.map(listenerManifest)))
        map.add("spec", spec.value)
        return map.value
    }

    public static func manifest(_ route: APIHTTPRoute) -> ManifestValue {
        var map = header(kind: "HTTPRoute", apiVersion: GatewayAPI.apiVersion)
        map.add("metadata", metadataManifest(route.metadata))
        var spec = MapBuilder()
        spec.add("parentRefs", .list(route.parentRefs.map { parent in
            var item = MapBuilder()
            item.add("name", parent.name)
            item.add("namespace", parent.namespace)
            item.add("sectionName", parent.sectionName)
            return item.value
        }))
        spec.addStrings("hostnames", route.hostnames)
        spec.addList("rules", route.rules.map(ruleManifest))
        map.add("spec", spec.value)
        return map.value
    }

    public static func manifest(_ grant: APIReferenceGrant) -> ManifestValue {
        var map = header(kind: "ReferenceGrant", apiVersion: GatewayAPI.referenceGrantAPIVersion)
        map.add("metadata", metadataManifest(ObjectMeta(name: grant.name, namespace: grant.namespace)))
        let from = ManifestValue.map([
            .init("group", .string(GatewayAPI.group)), .init("kind", .string("Gateway")),
            .init("namespace", .string(grant.fromNamespace)),
        ])
        let to = grant.secretNames.map { name in
            ManifestValue.map([.init("group", .string("")), .init("kind", .string("Secret")), .init("name", .string(name))])
        }
        map.add("spec", .map([.init("from", .list([from])), .init("to", .list(to))]))
        return map.value
    }

    private static func header(kind: String, apiVersion: String) -> MapBuilder {
        var map = MapBuilder()
        map.add("apiVersion", apiVersion)
        map.add("kind", kind)
        return map
    }

    private static func listenerManifest(_ listener: APIListener) -> ManifestValue {
        var map = MapBuilder()
        map.add("name", listener.name)
        map.add("hostname", listener.hostname)
        map.add("port", listener.port)
        map.add("protocol", listener.protocol)
        if listener.protocol == "HTTPS" {
            map.add("tls", .map([
                .init("mode", .string("Terminate")),
                .init("certificateRefs", .list(listener.certificateRefs.map { ref in
                    .map([.init("kind", .string("Secret")), .init("name", .string(ref.name)), .init("namespace", .string(ref.namespace))])
                })),
            ]))
        }
        let selector = ManifestValue.map([.init("matchLabels", .sortedStrings(["kubernetes.io/metadata.name": listener.allowedNamespace]))])
        map.add("allowedRoutes", .map([
            .init("namespaces", .map([.init("from", .string("Selector")), .init("selector", selector)])),
            .init("kinds", .list([.map([.init("group", .string(GatewayAPI.group)), .init("kind", .string("HTTPRoute"))])])),
        ]))
        return map.value
    }

    private static func ruleManifest(_ rule: APIRouteRule) -> ManifestValue {
        var map = MapBuilder()
        map.addList("matches", rule.matches.map { match in
            .map([.init("path", .map([.init("type", .string(match.type)), .init("value", .string(match.value))]))])
        })
        map.addList("filters", rule.filters.map(filterManifest))
        map.addList("backendRefs", rule.backendRefs.map { ref in
            .map([.init("name", .string(ref.name)), .init("port", .int(ref.port))])
        })
        return map.value
    }

    private static func filterManifest(_ filter: APIRouteFilter) -> ManifestValue {
        switch filter {
        case .requestRedirect(let redirect):
            var body = MapBuilder()
            body.add("scheme", redirect.scheme)
            body.add("hostname", redirect.hostname)
            if let path = redirect.replaceFullPath {
                body.add("path", .map([.init("type", .string("ReplaceFullPath")), .init("replaceFullPath", .string(path))]))
            }
            body.add("port", redirect.port)
            body.add("statusCode", redirect.statusCode)
            return .map([.init("type", .string("RequestRedirect")), .init("requestRedirect", body.value)])
        case .urlRewrite(let hostname, let path):
            var body = MapBuilder()
            body.add("hostname", hostname)
            switch path {
            case .replacePrefixMatch(let prefix)?:
                body.add("path", .map([.init("type", .string("ReplacePrefixMatch")), .init("replacePrefixMatch", .string(prefix))]))
            case .replaceFullPath(let full)?:
                body.add("path", .map([.init("type", .string("ReplaceFullPath")), .init("replaceFullPath", .string(full))]))
            case nil: break
            }
            return .map([.init("type", .string("URLRewrite")), .init("urlRewrite", body.value)])
        case .setRequestHeaders(let headers):
            let set = headers.map { ManifestValue.map([.init("name", .string($0.name)), .init("value", .string($0.value))]) }
            return .map([.init("type", .string("RequestHeaderModifier")), .init("requestHeaderModifier", .map([.init("set", .list(set))]))])
        }
    }
}
