import GatewayKit

/// The project's stored HTTPRoutes in the same plan as its Ingresses: each rule's matches
/// become locations of the hosts it attaches for, on the port of its listener's protocol
/// (HTTP listeners on the gateway's http port, HTTPS ones on its https port).
///
/// Precedence, as the Gateway API orders it within one path: the match with more header
/// matches first, then the oldest route, then the rule's order. Between an Ingress and an
/// HTTPRoute on the same host and path the Ingress wins (the migrated route is tried
/// beside the live one, never over it), and the HTTPRoute's loss is noted.
enum RequestScheme: Hashable, Sendable, CaseIterable {
    case http, https
}

/// The locations HTTPRoutes ask for on one host and scheme.
struct HTTPRouteLocations {
    struct Entry {
        var claim: PathLocations.Claim
        var location: NginxLocation
        var owner: String
        /// Only header cases: requests without those headers get what the path would get
        /// without this location (the longest shorter prefix).
        var inheritsTarget: Bool
    }

    var entries: [Entry] = []

    /// Adds every entry into `table` (an Ingress's claims, already there, win), then
    /// settles inherited targets; returns the notes of what lost.
    func merge(into table: inout PathLocations.Table) -> [String] {
        var notes: [String] = []
        var inheriting: [NginxLocation.Match] = []
        for entry in entries {
            if let note = table.add(entry.claim, location: entry.location, owner: .named(entry.owner)) {
                notes.append(note + " (an Ingress wins over an HTTPRoute)")
            } else if entry.inheritsTarget, table.location(entry.claim.match)?.headerCases == entry.location.headerCases {
                inheriting.append(entry.claim.match)
            }
        }
        for match in inheriting {
            let path = match.path
            let enclosing = table.prefixLocations.filter { location in
                !inheriting.contains(location.match) && location.match != match && path.hasPrefix(location.match.path)
            }.max { $0.match.path.count < $1.match.path.count }
            table.retarget(match, to: enclosing?.target ?? .notFound)
        }
        return notes
    }
}

extension PathLocations.Table {
    var prefixLocations: [NginxLocation] {
        locations.filter { if case .prefix = $0.match { true } else { false } }
    }
}

extension Planner {
    /// The HTTPRoutes of `project` as locations by host ("" for the default server) and
    /// scheme, with the certificates of the HTTPS listeners' hosts.
    mutating func httpRouteLocations(project: String, httpPort: Int, httpsPort: Int)
        -> (locations: [String: [RequestScheme: HTTPRouteLocations]], certificates: [String: SecretReference])
    {
        struct Case {
            var headers: [StoredHTTPRoute.HeaderMatch]
            var target: NginxLocation.Target
            var owner: String
            var isExplicit: Bool
            var sequence: Int
        }
        var cases: [String: [RequestScheme: [NginxLocation.Match: [Case]]]] = [:]
        var certificates: [String: SecretReference] = [:]
        var sequence = 0
        for route in inventory.httpRoutes(project: project) {
            let owner = "HTTPRoute \(project)/\(route.name)"
            let found = GatewayAPIAttachment.attachments(route, inventory: inventory)
            if let reason = found.reason {
                notes.append("\(owner) is not served: \(reason)")
                continue
            }
            let gatewayName = Gateway.name(project: project)
            let own = found.attachments.filter { $0.gateway.namespace == project || $0.gateway.name == gatewayName }
            guard !own.isEmpty else {
                notes.append("\(owner) is not served: its Gateway is not project \(project)'s (\(gatewayName), or one in \(project))")
                continue
            }
            for attachment in own where attachment.listener.protocol == "HTTPS" {
                guard let certificate = certificate(attachment, owner: owner) else { continue }
                for host in attachment.hosts where !host.isEmpty && certificates[host] == nil { certificates[host] = certificate }
            }
            for rule in route.rules {
                if let refusal = rule.refusal {
                    notes.append("\(owner): rule \(rule.index) is not served: \(refusal)")
                    continue
                }
                for note in rule.notes where !notes.contains("\(owner): rule \(rule.index): \(note)") {
                    notes.append("\(owner): rule \(rule.index): \(note)")
                }
                for match in rule.matches {
                    if let problem = Planner.headerProblem(match.headers) {
                        notes.append("\(owner): rule \(rule.index): \(problem); the match is not served")
                        continue
                    }
                    for attachment in own {
                        let scheme: RequestScheme = attachment.listener.protocol == "HTTPS" ? .https : .http
                        for claim in PathLocations.claims(path: match.path, type: match.pathType == "Exact" ? .exact : .prefix) {
                            let target = routeTarget(
                                rule, match: match, claim: claim, scheme: scheme, project: project, route: route.name,
                                ports: (httpPort, httpsPort))
                            for host in attachment.hosts {
                                cases[host, default: [:]][scheme, default: [:]][claim.match, default: []].append(
                                    Case(headers: match.headers, target: target, owner: owner, isExplicit: claim.isExplicit, sequence: sequence))
                                sequence += 1
                            }
                        }
                    }
                }
            }
        }
        var result: [String: [RequestScheme: HTTPRouteLocations]] = [:]
        for (host, schemes) in cases {
            for (scheme, matches) in schemes {
                var locations = HTTPRouteLocations()
                for (match, found) in matches.sorted(by: { $0.key < $1.key }) {
                    let ordered = found.sorted { ($1.headers.count, $0.sequence) < ($0.headers.count, $1.sequence) }
                    var headerCases: [NginxHeaderCase] = []
                    var fallback: NginxLocation.Target?
                    var seen: [[StoredHTTPRoute.HeaderMatch]] = []
                    for entry in ordered {
                        if seen.contains(entry.headers) {
                            if entry.isExplicit, let first = ordered.first(where: { $0.headers == entry.headers }), first.owner != entry.owner {
                                let note = "\(entry.owner): \(PathLocations.describe(match)) on \(host.isEmpty ? "every host" : host) is already served by \(first.owner)"
                                if !notes.contains(note) { notes.append(note) }
                            }
                            continue
                        }
                        seen.append(entry.headers)
                        if entry.headers.isEmpty {
                            fallback = entry.target
                        } else {
                            headerCases.append(NginxHeaderCase(headers: entry.headers, target: entry.target))
                        }
                    }
                    var location = NginxLocation(match: match, target: fallback ?? .notFound)
                    location.headerCases = headerCases
                    locations.entries.append(HTTPRouteLocations.Entry(
                        claim: PathLocations.Claim(match: match, isExplicit: ordered.contains(where: \.isExplicit)),
                        location: location, owner: ordered[0].owner, inheritsTarget: fallback == nil))
                }
                result[host, default: [:]][scheme] = locations
            }
        }
        return (result, certificates)
    }

    /// Why header matches cannot be written as nginx conditions: a name nginx does not
    /// expose as `$http_…` (it drops names with underscores), or a value quoting refuses.
    static func headerProblem(_ headers: [StoredHTTPRoute.HeaderMatch]) -> String? {
        for header in headers {
            let nameOK = !header.name.isEmpty && header.name.unicodeScalars.allSatisfy { scalar in
                scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "-")
            }
            guard nameOK else { return "header \(header.name) is not a name nginx can match (letters, digits and '-')" }
            if (try? NginxToken(header.value)) == nil {
                return "the value of header \(header.name) cannot be written into nginx.conf (it is empty or holds '$' or a control character)"
            }
        }
        return nil
    }

    /// What a rule answers on one location; a filter value that nginx.conf cannot hold
    /// (a `$`, a control character) makes the rule answer 500, noted, rather than fail
    /// the whole config.
    private mutating func routeTarget(
        _ rule: StoredHTTPRoute.Rule, match: StoredHTTPRoute.Match, claim: PathLocations.Claim, scheme: RequestScheme,
        project: String, route: String, ports: (http: Int, https: Int)
    ) -> NginxLocation.Target {
        var values: [String] = []
        for filter in rule.filters {
            switch filter {
            case .requestRedirect(let redirect):
                values += [redirect.scheme, redirect.hostname].compactMap { $0 }
                if case .replaceFullPath(let path)? = redirect.path { values.append(path) }
                if case .replacePrefixMatch(let path)? = redirect.path, path != "/" { values.append(path) }
            case .urlRewrite(let hostname, let path):
                values += [hostname].compactMap { $0 }
                if case .replaceFullPath(let path)? = path { values.append(path) }
                if case .replacePrefixMatch(let path)? = path, path != "/" { values.append(path) }
            case .setRequestHeaders(let headers):
                values += headers.flatMap { [$0.name, $0.value] }
            }
        }
        if values.contains(where: { (try? NginxToken($0)) == nil }) {
            let note = "HTTPRoute \(project)/\(route): rule \(rule.index): a filter value cannot be written into nginx.conf (empty, or holds '$' or a control character); the rule answers 500"
            if !notes.contains(note) { notes.append(note) }
            return .serverError
        }
        return writableTarget(rule, match: match, claim: claim, scheme: scheme, project: project, route: route, ports: ports)
    }

    /// What a rule answers on one location: its redirect, or its backends with its filters.
    private mutating func writableTarget(
        _ rule: StoredHTTPRoute.Rule, match: StoredHTTPRoute.Match, claim: PathLocations.Claim, scheme: RequestScheme,
        project: String, route: String, ports: (http: Int, https: Int)
    ) -> NginxLocation.Target {
        let owner = "HTTPRoute \(project)/\(route)"
        for filter in rule.filters {
            guard case .requestRedirect(let redirect) = filter else { continue }
            let targetScheme = redirect.scheme ?? (scheme == .https ? "https" : "http")
            // The API's port rules, with the Gateway's listeners standing for the local
            // gateway's ports: no port and no scheme keeps the request's (local) port; a
            // scheme alone goes to the local port of that scheme; a scheme to another
            // host goes to the scheme's well-known port, which the Location leaves out.
            var port = redirect.port
            if port == nil, redirect.hostname == nil || redirect.scheme == nil {
                port = targetScheme == "https" ? ports.https : ports.http
            }
            if (targetScheme == "http" && port == 80) || (targetScheme == "https" && port == 443) { port = nil }
            return .redirect(NginxRedirect(
                statusCode: redirect.statusCode, scheme: targetScheme, host: redirect.hostname, port: port,
                path: redirect.path.flatMap { rewrite($0, match: match, claim: claim) }))
        }
        var host: String?
        var path: NginxPathRewrite?
        var headers: [StoredHTTPRoute.HeaderMatch] = []
        for filter in rule.filters {
            switch filter {
            case .urlRewrite(let hostname, let modifier):
                host = hostname ?? host
                path = modifier.flatMap { rewrite($0, match: match, claim: claim) } ?? path
            case .setRequestHeaders(let set):
                headers += set
            case .requestRedirect:
                break
            }
        }
        guard let upstream = upstream(rule, project: project, route: route) else {
            let note = "\(owner): rule \(rule.index) has no backend to send to (500)"
            if !notes.contains(note) { notes.append(note) }
            return .serverError
        }
        if host == nil, path == nil, headers.isEmpty { return .upstream(upstream) }
        return .proxy(NginxProxy(upstream: upstream, host: host, path: path, setHeaders: headers))
    }

    /// `ReplaceFullPath` as it is; `ReplacePrefixMatch` as the bytes of the matched prefix
    /// to replace (`/` replaces nothing: `/a` with `/x` is `/x/a`).
    private func rewrite(_ modifier: StoredHTTPRoute.PathModifier, match: StoredHTTPRoute.Match, claim: PathLocations.Claim)
        -> NginxPathRewrite?
    {
        switch modifier {
        case .replaceFullPath(let path): return .full(path)
        case .replacePrefixMatch(let replacement):
            var prefix = Substring(match.path)
            while prefix.hasSuffix("/") { prefix = prefix.dropLast() }
            var trimmed = Substring(replacement)
            while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
            if case .exact = claim.match { return .full(trimmed.isEmpty ? "/" : String(trimmed)) }
            if prefix.isEmpty && trimmed.isEmpty { return nil }
            return .prefix(strip: prefix.utf8.count, replacement: String(trimmed))
        }
    }

    /// The upstream of a rule's backendRefs: the Service's own for one, a weighted one
    /// (`<project>.<route>.rule<N>.split`, four parts where a Service's has three) for
    /// several. Refs that cannot be served are noted and left out.
    private mutating func upstream(_ rule: StoredHTTPRoute.Rule, project: String, route: String) -> String? {
        let owner = "HTTPRoute \(project)/\(route)"
        var parts: [(upstream: NginxUpstream, weight: Int)] = []
        for ref in rule.backendRefs where ref.weight > 0 {
            guard ref.isLocalService else {
                notes.append("\(owner): rule \(rule.index): backendRef \(ref.name): only Services of the route's namespace are served locally; its share answers nothing")
                continue
            }
            guard let port = ref.port else {
                notes.append("\(owner): rule \(rule.index): backendRef \(ref.name) has no port")
                continue
            }
            switch backends.resolve(RouteBackend(service: ref.name, port: port), namespace: project) {
            case .upstream(let upstream): parts.append((upstream, ref.weight))
            case .unavailable(let reason):
                let note = "\(owner): rule \(rule.index): \(reason); its share is left out"
                if !notes.contains(note) { notes.append(note) }
            }
        }
        guard let first = parts.first else { return nil }
        if parts.count == 1 {
            upstreams[first.upstream.name] = first.upstream
            return first.upstream.name
        }
        // Each server of a backend carries the backend's weight shared among its servers,
        // in whole numbers: weight × L / servers, L the least common multiple of the counts.
        let common = parts.map(\.upstream.servers.count).reduce(1) { a, b in a / Planner.gcd(a, b) * b }
        var servers: [String] = []
        var weights: [Int] = []
        for part in parts {
            let each = part.weight * common / part.upstream.servers.count
            for server in part.upstream.servers {
                if let index = servers.firstIndex(of: server) {
                    weights[index] += each
                } else {
                    servers.append(server)
                    weights.append(each)
                }
            }
        }
        let divisor = weights.reduce(0) { Planner.gcd($0, $1) }
        let name = "\(project).\(route).rule\(rule.index).split"
        upstreams[name] = NginxUpstream(name: name, servers: servers, weights: weights.map { $0 / max(divisor, 1) })
        return name
    }

    private static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }

    /// The certificate of an HTTPS listener: its first certificateRef, when the Secret is
    /// stored and usable and, in another namespace than the Gateway's, a ReferenceGrant
    /// there allows it.
    private mutating func certificate(_ attachment: GatewayAPIAttachment.Attachment, owner: String) -> SecretReference? {
        guard let ref = attachment.listener.certificateRefs.first else { return nil }
        let reference = SecretReference(namespace: ref.namespace, name: ref.name)
        let listener = "listener \(attachment.listener.name) of Gateway \(attachment.gateway.namespace)/\(attachment.gateway.name)"
        guard knownSecrets.contains(reference) else {
            notes.append("\(listener): TLS secret \(reference) not found")
            return nil
        }
        guard usableSecrets.contains(reference) else {
            notes.append("\(listener): TLS secret \(reference) is not a valid kubernetes.io/tls certificate and key")
            return nil
        }
        if ref.namespace != attachment.gateway.namespace,
            !Planner.grants(inventory, secret: reference, toGatewaysOf: attachment.gateway.namespace)
        {
            notes.append("\(listener): no ReferenceGrant in \(ref.namespace) lets it use TLS secret \(reference)")
            return nil
        }
        secrets.insert(reference)
        return reference
    }

    /// Whether a stored ReferenceGrant in the secret's namespace lets Gateways of
    /// `namespace` refer to it.
    static func grants(_ inventory: Inventory, secret: SecretReference, toGatewaysOf namespace: String) -> Bool {
        inventory.gatewayAPIObjects(namespace: secret.namespace).contains { object in
            guard object.kind == .referenceGrant, let spec = object.manifest["spec"],
                case .list(let from)? = spec["from"], case .list(let to)? = spec["to"]
            else { return false }
            let fromOK = from.contains { item in
                item["group"] == .string(GatewayAPI.group) && item["kind"] == .string("Gateway") && item["namespace"] == .string(namespace)
            }
            let toOK = to.contains { item in
                (item["group"] == .string("") || item["group"] == nil) && item["kind"] == .string("Secret")
                    && (item["name"] == nil || item["name"] == .string(secret.name))
            }
            return fromOK && toOK
        }
    }
}
