/// Converts a project's Ingresses to Gateway API objects, by ingress2gateway's rules for
/// ingress-nginx, and says per Ingress what did not carry over.
///
///     let set = GatewayAPIConversion.convert(inventory, project: "demo")
///     GatewayAPIRenderer.yaml(set)   // Gateway, HTTPRoutes, ReferenceGrant
///     set.notes                      // what has no equivalent, per Ingress
public enum GatewayAPIConversion {
    /// The GatewayClass the Gateway names when none is asked for.
    public static let defaultGatewayClass = "nginx"

    public static func convert(_ inventory: Inventory, project: String, gatewayClassName: String = defaultGatewayClass) -> GatewayAPISet {
        let gateway = inventory.gateway(project: project)
        let namespace = gateway?.namespace ?? inventory.settings.gatewayNamespace
        let name = Gateway.name(project: project)
        let httpPort = gateway?.port(named: "http")?.port ?? 80
        let httpsPort = gateway?.port(named: "https")?.port ?? 443
        let routes = inventory.routes(project: project).sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        let services = inventory.services(project: project)

        var notes: [ConversionNote] = []
        if gateway == nil {
            notes.append(ConversionNote(ingress: "", field: "", reason: "project \(project) has no gateway; the Gateway is the one its routes need"))
        }
        let tls = tlsListeners(routes, notes: &notes)
        var listeners = httpListeners(routes).map { host in
            APIListener(name: listenerName(host, suffix: "http"), hostname: host.isEmpty ? nil : host, port: httpPort, protocol: "HTTP", allowedNamespace: project)
        }
        listeners += tls.map { entry in
            APIListener(
                name: listenerName(entry.host, suffix: "https"), hostname: entry.host, port: httpsPort, protocol: "HTTPS",
                certificateRefs: [APISecretReference(name: entry.secret, namespace: project)], allowedNamespace: project)
        }
        let parent = APIParentReference(name: name, namespace: namespace == project ? nil : namespace, sectionName: nil)
        var httpRoutes: [APIHTTPRoute] = []
        for route in routes {
            httpRoutes += convert(route, parent: parent, httpsHosts: Set(tls.map(\.host)), services: services, notes: &notes)
        }
        let secretNames = Set(tls.map(\.secret)).sorted()
        let grants = namespace == project || secretNames.isEmpty ? [] : [
            APIReferenceGrant(name: "\(name)-certificates", namespace: project, fromNamespace: namespace, secretNames: secretNames),
        ]
        return GatewayAPISet(
            gateway: APIGateway(name: name, namespace: namespace, gatewayClassName: gatewayClassName, listeners: listeners),
            routes: httpRoutes, referenceGrants: grants, notes: notes)
    }

    /// `demo.example.com` → `demo-example-com-http`; `*.example.com` → `wildcard-example-com-http`;
    /// no host → `http`.
    static func listenerName(_ host: String, suffix: String) -> String {
        host.isEmpty ? suffix : fitted(hostLabel(host) + "-" + suffix)
    }

    /// A name cut to the API's 253 bytes, with a hash of the whole name in place of the
    /// end, so that long hosts (a 250-byte host and `-https`) still give distinct names.
    static func fitted(_ name: String) -> String {
        let limit = 253
        guard name.utf8.count > limit else { return name }
        var hash: UInt32 = 2_166_136_261
        for byte in name.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        let digest = String(hash, radix: 16)
        return String(decoding: name.utf8.prefix(limit - 1 - digest.utf8.count), as: UTF8.self) + "-" + digest
    }

    /// `*.example.com` → `wildcard-example-com`: a host as a name's part.
    static func hostLabel(_ host: String) -> String {
        let label = host.hasPrefix("*.") ? "wildcard." + host.dropFirst(2) : host
        return String(label.map { $0 == "." ? "-" : $0 })
    }

    /// Every host the routes name (empty for rules without one, and for default backends),
    /// sorted, once each.
    private static func httpListeners(_ routes: [Route]) -> [String] {
        var hosts = Set<String>()
        for route in routes {
            for rule in route.rules { hosts.insert(rule.host) }
            if route.defaultBackend != nil { hosts.insert("") }
        }
        return hosts.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// One HTTPS listener per TLS host, with the Secret of the first route (by name) that
    /// names it; a second Secret for the same host, or a TLS section without a Secret or
    /// hosts, is noted.
    private static func tlsListeners(_ routes: [Route], notes: inout [ConversionNote]) -> [(host: String, secret: String)] {
        var chosen: [String: String] = [:]
        for route in routes {
            for (index, entry) in route.tls.enumerated() {
                let field = FieldPath("spec.tls").index(index)
                guard let secret = entry.secretName, !secret.isEmpty else {
                    notes.append(ConversionNote(ingress: route.name, field: field.child("secretName"),
                        reason: "no Secret (the controller's default certificate): no HTTPS listener is made for these hosts"))
                    continue
                }
                if entry.hosts.isEmpty {
                    notes.append(ConversionNote(ingress: route.name, field: field.child("hosts"),
                        reason: "no hosts: a listener needs one; not converted"))
                }
                for host in entry.hosts {
                    if let other = chosen[host], other != secret {
                        notes.append(ConversionNote(ingress: route.name, field: field.child("secretName"),
                            reason: "host \(host) already has Secret \(other) from another route; this one is not used"))
                    } else {
                        chosen[host] = secret
                    }
                }
            }
        }
        return chosen.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }.map { ($0.key, $0.value) }
    }

    /// One HTTPRoute for the Ingress, or one per host when its rules name several (the
    /// API's hostnames apply to every rule of a route).
    private static func convert(
        _ route: Route, parent: APIParentReference, httpsHosts: Set<String>, services: [BackendService],
        notes: inout [ConversionNote]
    ) -> [APIHTTPRoute] {
        let annotations = AnnotationConversion(route: route)
        notes += annotations.notes
        var hosts: [String] = []
        for rule in route.rules where !hosts.contains(rule.host) { hosts.append(rule.host) }
        if route.defaultBackend != nil && !hosts.contains("") { hosts.append("") }
        if hosts.count > 1 {
            notes.append(ConversionNote(ingress: route.name, field: "spec.rules",
                reason: "its rules name \(hosts.count) hosts: one HTTPRoute per host"))
        }
        var metadata = ObjectMeta(name: route.name, namespace: route.namespace, labels: route.metadata.labels)
        metadata.annotations = route.metadata.annotations.filter {
            !$0.key.hasPrefix(IngressNginxAnnotations.prefix) && $0.key != AnnotationConversion.lastApplied
        }
        var converted: [APIHTTPRoute] = []
        for host in hosts {
            var rules: [APIRouteRule] = []
            for (r, rule) in route.rules.enumerated() where rule.host == host {
                for (p, path) in rule.paths.enumerated() {
                    let field = FieldPath("spec.rules").index(r).child("http").child("paths").index(p)
                    let match = pathMatch(path, regex: annotations.regexPaths, route: route.name, field: field, notes: &notes)
                    // Ingress takes paths Gateway API refuses (`/a//b`): such a path is left out, said.
                    if match.type != "RegularExpression", let reason = HTTPMatchRules.pathReason(match.value) {
                        notes.append(ConversionNote(ingress: route.name, field: field.child("path"), reason: "\(reason); the path is left out"))
                        continue
                    }
                    let backend = backendRef(path.backend, services: services, route: route.name, field: field.child("backend"), notes: &notes)
                    rules.append(APIRouteRule(matches: [match], filters: annotations.filters(for: match), backendRefs: backend.map { [$0] } ?? []))
                }
            }
            if host.isEmpty, let fallback = route.defaultBackend {
                let backend = backendRef(fallback, services: services, route: route.name, field: "spec.defaultBackend", notes: &notes)
                rules.append(APIRouteRule(matches: [], filters: annotations.filters(for: nil), backendRefs: backend.map { [$0] } ?? []))
            }
            // A redirect answers by itself: the API refuses backends beside it.
            if annotations.redirect != nil {
                for index in rules.indices { rules[index].backendRefs = [] }
            }
            let base = hosts.count > 1 ? route.name + "-" + (host.isEmpty ? "default" : hostLabel(host)) : route.name
            let chunks = stride(from: 0, to: max(rules.count, 1), by: GatewayAPI.maxRulesPerRoute).map {
                Array(rules[$0..<min($0 + GatewayAPI.maxRulesPerRoute, rules.count)])
            }
            if chunks.count > 1 {
                notes.append(ConversionNote(ingress: route.name, field: "spec.rules",
                    reason: "\(rules.count) paths\(host.isEmpty ? "" : " for \(host)"): an HTTPRoute holds \(GatewayAPI.maxRulesPerRoute) rules, so \(chunks.count) HTTPRoutes"))
            }
            // ingress-nginx answers a TLS host's http requests with a 308 to https (its
            // ssl-redirect): the routes attach to the HTTPS listener, a redirect to the HTTP one.
            let redirects = annotations.sslRedirect && route.isTLS(host: host) && httpsHosts.contains(host)
            let parents = redirects ? [section(parent, listenerName(host, suffix: "https"))] : [parent]
            for (index, chunk) in chunks.enumerated() {
                var named = metadata
                named.name = fitted(index == 0 ? base : "\(base)-\(index + 1)")
                converted.append(APIHTTPRoute(metadata: named, parentRefs: parents, hostnames: host.isEmpty ? [] : [host], rules: chunk, ingress: route.name))
            }
            if redirects {
                var named = metadata
                named.name = fitted(base + "-https-redirect")
                let toHTTPS = APIRedirect(scheme: "https", hostname: nil, port: nil, replaceFullPath: nil, statusCode: 308)
                converted.append(APIHTTPRoute(
                    metadata: named, parentRefs: [section(parent, listenerName(host, suffix: "http"))], hostnames: [host],
                    rules: [APIRouteRule(matches: [], filters: [.requestRedirect(toHTTPS)], backendRefs: [])], ingress: route.name))
            }
        }
        return converted
    }

    private static func section(_ parent: APIParentReference, _ name: String) -> APIParentReference {
        APIParentReference(name: parent.name, namespace: parent.namespace, sectionName: name)
    }

    /// Prefix → PathPrefix, Exact → Exact, ImplementationSpecific → PathPrefix (ingress-nginx
    /// reads it as a prefix), every path a RegularExpression when the Ingress asks for regex.
    private static func pathMatch(
        _ path: RoutePath, regex: Bool, route: String, field: FieldPath, notes: inout [ConversionNote]
    ) -> APIPathMatch {
        if regex { return APIPathMatch(type: "RegularExpression", value: path.path) }
        switch path.pathType ?? .implementationSpecific {
        case .exact: return APIPathMatch(type: "Exact", value: path.path)
        case .prefix: return APIPathMatch(type: "PathPrefix", value: path.path)
        case .implementationSpecific:
            if !path.path.hasSuffix("/") {
                notes.append(ConversionNote(ingress: route, field: field.child("pathType"),
                    reason: "ImplementationSpecific \(path.path) matched by characters in ingress-nginx (\(path.path)x too); PathPrefix matches whole path elements"))
            }
            return APIPathMatch(type: "PathPrefix", value: path.path)
        }
    }

    /// The backend with its port as a number: a named port is looked up in the Service.
    private static func backendRef(
        _ backend: RouteBackend, services: [BackendService], route: String, field: FieldPath, notes: inout [ConversionNote]
    ) -> APIBackendReference? {
        if let number = backend.portNumber { return APIBackendReference(name: backend.service, port: number) }
        let portName = backend.portName ?? ""
        guard let service = services.first(where: { $0.name == backend.service }) else {
            notes.append(ConversionNote(ingress: route, field: field.child("service").child("port").child("name"),
                reason: "Service \(backend.service) is not in the project, so port \(portName) has no number; the rule has no backend"))
            return nil
        }
        guard let port = service.ports.first(where: { $0.name == portName }) else {
            notes.append(ConversionNote(ingress: route, field: field.child("service").child("port").child("name"),
                reason: "Service \(backend.service) has no port named \(portName); the rule has no backend"))
            return nil
        }
        return APIBackendReference(name: backend.service, port: port.port)
    }
}
