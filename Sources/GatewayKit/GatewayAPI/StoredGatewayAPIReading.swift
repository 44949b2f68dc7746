/// The parts of stored Gateway API objects that the local gateway serves, read from
/// manifests the validator accepted. Whatever is read but not served is said in `notes`.

/// A stored HTTPRoute, read for serving.
public struct StoredHTTPRoute: Hashable, Sendable {
    public var name: String
    public var namespace: String
    public var parentRefs: [ParentReference]
    public var hostnames: [String]
    public var rules: [Rule]

    public struct ParentReference: Hashable, Sendable {
        public var name: String
        /// The route's namespace when the reference gives none.
        public var namespace: String
        public var sectionName: String?
        public var port: Int?
        /// `Gateway` of `gateway.networking.k8s.io` unless said otherwise.
        public var isGateway: Bool
    }

    public struct Rule: Hashable, Sendable {
        /// Its index in `spec.rules`.
        public var index: Int
        /// Never empty: a rule without matches matches every path (`PathPrefix /`).
        public var matches: [Match]
        public var filters: [Filter]
        public var backendRefs: [BackendReference]
        /// Why the rule is not served; nil when it is.
        public var refusal: String?
        /// What of the rule is served without (said, never silent).
        public var notes: [String]
    }

    public struct Match: Hashable, Sendable {
        /// `Exact` or `PathPrefix`.
        public var pathType: String
        public var path: String
        /// Exact header matches, each name once, sorted by name.
        public var headers: [HeaderMatch]

        public init(pathType: String, path: String, headers: [HeaderMatch]) {
            self.pathType = pathType
            self.path = path
            self.headers = headers
        }
    }

    /// A header name and value: the conversion model's own type.
    public typealias HeaderMatch = APIHeader

    public enum Filter: Hashable, Sendable {
        case requestRedirect(Redirect)
        case urlRewrite(hostname: String?, path: PathModifier?)
        /// `RequestHeaderModifier`'s `set` and `add` (served as set), sorted by name.
        case setRequestHeaders([HeaderMatch])
    }

    /// `ReplaceFullPath` or `ReplacePrefixMatch`: the conversion model's own type.
    public typealias PathModifier = APIPathRewrite

    public struct Redirect: Hashable, Sendable {
        public var scheme: String?
        public var hostname: String?
        public var port: Int?
        public var path: PathModifier?
        public var statusCode: Int
    }

    public struct BackendReference: Hashable, Sendable {
        public var name: String
        public var port: Int?
        public var weight: Int
        /// A Service in the route's namespace; other kinds and namespaces are not served.
        public var isLocalService: Bool
    }

    public init(_ object: GatewayAPIObject) {
        name = object.metadata.name
        namespace = object.metadata.namespace
        let spec = object.manifest["spec"]
        parentRefs = (spec?["parentRefs"]?.items ?? []).compactMap { ref in
            guard let name = ref["name"]?.stringValue else { return nil }
            let group = ref["group"]?.stringValue ?? GatewayAPI.group
            let kind = ref["kind"]?.stringValue ?? "Gateway"
            return ParentReference(
                name: name, namespace: ref["namespace"]?.stringValue ?? object.metadata.namespace,
                sectionName: ref["sectionName"]?.stringValue, port: ref["port"]?.intValue,
                isGateway: group == GatewayAPI.group && kind == "Gateway")
        }
        hostnames = (spec?["hostnames"]?.items ?? []).compactMap(\.stringValue)
        rules = (spec?["rules"]?.items ?? []).enumerated().map { Self.rule($1, index: $0) }
    }

    private static func rule(_ value: ManifestValue, index: Int) -> Rule {
        var refusal: String?
        var notes: [String] = []
        var matches: [Match] = []
        for item in value["matches"]?.items ?? [] {
            var match = Match(pathType: "PathPrefix", path: "/", headers: [])
            if let path = item["path"] {
                match.pathType = path["type"]?.stringValue ?? "PathPrefix"
                match.path = path["value"]?.stringValue ?? "/"
                if match.pathType != "Exact" && match.pathType != "PathPrefix" {
                    refusal = refusal ?? "path type \(match.pathType) is not served locally"
                }
            }
            for header in item["headers"]?.items ?? [] {
                let type = header["type"]?.stringValue ?? "Exact"
                guard type == "Exact", let name = header["name"]?.stringValue, let value = header["value"]?.stringValue else {
                    refusal = refusal ?? "header match of type \(type) is not served locally"
                    continue
                }
                // Header names are case-insensitive: the first of a name counts (the API's rule).
                if !match.headers.contains(where: { $0.name.lowercased() == name.lowercased() }) {
                    match.headers.append(HeaderMatch(name: name, value: value))
                }
            }
            match.headers.sort { $0.name.lowercased() < $1.name.lowercased() }
            if item["method"] != nil { refusal = refusal ?? "method matches are not served locally" }
            if item["queryParams"] != nil { refusal = refusal ?? "query parameter matches are not served locally" }
            matches.append(match)
        }
        if matches.isEmpty { matches = [Match(pathType: "PathPrefix", path: "/", headers: [])] }
        var filters: [Filter] = []
        for item in value["filters"]?.items ?? [] {
            let type = item["type"]?.stringValue ?? ""
            switch type {
            case "RequestRedirect":
                let body = item["requestRedirect"]
                filters.append(.requestRedirect(Redirect(
                    scheme: body?["scheme"]?.stringValue, hostname: body?["hostname"]?.stringValue,
                    port: body?["port"]?.intValue, path: pathModifier(body?["path"]),
                    statusCode: body?["statusCode"]?.intValue ?? 302)))
            case "URLRewrite":
                let body = item["urlRewrite"]
                filters.append(.urlRewrite(hostname: body?["hostname"]?.stringValue, path: pathModifier(body?["path"])))
            case "RequestHeaderModifier":
                let body = item["requestHeaderModifier"]
                let set = (body?["set"]?.items ?? []) + (body?["add"]?.items ?? [])
                filters.append(.setRequestHeaders(set.compactMap { header in
                    guard let name = header["name"]?.stringValue, let value = header["value"]?.stringValue else { return nil }
                    return HeaderMatch(name: name, value: value)
                }.sorted { $0.name < $1.name }))
                if body?["add"] != nil { notes.append("RequestHeaderModifier add is served as set") }
                if body?["remove"] != nil { notes.append("RequestHeaderModifier remove is not applied locally") }
            default:
                notes.append("filter \(type) is not applied locally")
            }
        }
        let backendRefs: [BackendReference] = (value["backendRefs"]?.items ?? []).map { ref in
            let group = ref["group"]?.stringValue ?? ""
            let kind = ref["kind"]?.stringValue ?? "Service"
            if ref["filters"] != nil { notes.append("filters of a backendRef are not applied locally") }
            return BackendReference(
                name: ref["name"]?.stringValue ?? "", port: ref["port"]?.intValue, weight: ref["weight"]?.intValue ?? 1,
                isLocalService: group.isEmpty && kind == "Service" && ref["namespace"] == nil)
        }
        return Rule(index: index, matches: matches, filters: filters, backendRefs: backendRefs, refusal: refusal, notes: notes)
    }

    private static func pathModifier(_ value: ManifestValue?) -> PathModifier? {
        guard let value else { return nil }
        switch value["type"]?.stringValue {
        case "ReplaceFullPath": return value["replaceFullPath"]?.stringValue.map(PathModifier.replaceFullPath)
        case "ReplacePrefixMatch": return value["replacePrefixMatch"]?.stringValue.map(PathModifier.replacePrefixMatch)
        default: return nil
        }
    }
}

/// A stored Gateway API Gateway, read for attachment: its listeners.
public struct StoredGateway: Hashable, Sendable {
    public var name: String
    public var namespace: String
    public var listeners: [Listener]

    public struct Listener: Hashable, Sendable {
        public var name: String
        public var hostname: String?
        public var port: Int
        public var `protocol`: String
        /// `Same` (the default), `All`, or `Selector` with `selector`'s matchLabels.
        public var allowedFrom: String
        public var selector: [String: String]
        /// Kinds `allowedRoutes` names; empty allows the protocol's default (HTTPRoute).
        public var kinds: [String]
        public var certificateRefs: [APISecretReference]

        /// Whether a route of `namespace` (whose labels are `labels`) may attach.
        public func allows(namespace: String, gatewayNamespace: String, labels: [String: String]) -> Bool {
            guard `protocol` == "HTTP" || `protocol` == "HTTPS" else { return false }
            guard kinds.isEmpty || kinds.contains("HTTPRoute") else { return false }
            switch allowedFrom {
            case "All": return true
            case "Selector":
                var all = labels
                all["kubernetes.io/metadata.name"] = namespace
                return selector.allSatisfy { all[$0.key] == $0.value }
            default: return namespace == gatewayNamespace
            }
        }
    }

    public init(_ object: GatewayAPIObject) {
        name = object.metadata.name
        namespace = object.metadata.namespace
        listeners = (object.manifest["spec"]?["listeners"]?.items ?? []).compactMap { item in
            guard let name = item["name"]?.stringValue, let port = item["port"]?.intValue,
                let proto = item["protocol"]?.stringValue
            else { return nil }
            let allowed = item["allowedRoutes"]
            let selector = allowed?["namespaces"]?["selector"]?["matchLabels"]
            var labels: [String: String] = [:]
            if case .map(let fields)? = selector {
                for field in fields { labels[field.key] = field.value.stringValue ?? "" }
            }
            let kinds = (allowed?["kinds"]?.items ?? []).compactMap { $0["kind"]?.stringValue }
            let refs = (item["tls"]?["certificateRefs"]?.items ?? []).compactMap { ref -> APISecretReference? in
                guard let name = ref["name"]?.stringValue else { return nil }
                return APISecretReference(name: name, namespace: ref["namespace"]?.stringValue ?? object.metadata.namespace)
            }
            return Listener(
                name: name, hostname: item["hostname"]?.stringValue, port: port, protocol: proto,
                allowedFrom: allowed?["namespaces"]?["from"]?.stringValue ?? "Same", selector: labels, kinds: kinds,
                certificateRefs: refs)
        }
    }
}

/// Which listeners of which stored Gateways an HTTPRoute attaches to, and the hostnames
/// it is served for there, by the API's rules: the parent reference names the Gateway
/// (and, optionally, a listener by name or port), the listener allows the route's
/// namespace and kind, and the route's hostnames intersect the listener's.
public enum GatewayAPIAttachment {
    public struct Attachment: Hashable, Sendable {
        public var gateway: StoredGateway
        public var listener: StoredGateway.Listener
        /// The hosts served: "" for every host (a listener and route without hostnames).
        public var hosts: [String]
    }

    /// The attachments of `route` (empty, with `reason`, when it attaches nowhere).
    public static func attachments(_ route: StoredHTTPRoute, inventory: Inventory) -> (attachments: [Attachment], reason: String?) {
        var result: [Attachment] = []
        var reasons: [String] = []
        let labels = inventory.project(route.namespace)?.metadata.labels ?? [:]
        for parent in route.parentRefs {
            guard parent.isGateway else {
                reasons.append("parent \(parent.name) is not a Gateway")
                continue
            }
            guard let gateway = inventory.apiGateway(namespace: parent.namespace, name: parent.name) else {
                reasons.append("Gateway \(parent.namespace)/\(parent.name) is not stored")
                continue
            }
            let named = gateway.listeners.filter { listener in
                (parent.sectionName == nil || parent.sectionName == listener.name) && (parent.port == nil || parent.port == listener.port)
            }
            let allowing = named.filter { $0.allows(namespace: route.namespace, gatewayNamespace: gateway.namespace, labels: labels) }
            if allowing.isEmpty {
                reasons.append("no listener of Gateway \(gateway.namespace)/\(gateway.name)"
                    + (parent.sectionName.map { " named \($0)" } ?? "") + " allows routes of \(route.namespace)")
            }
            for listener in allowing {
                let hosts = intersect(route: route.hostnames, listener: listener.hostname)
                if hosts.isEmpty {
                    reasons.append("no hostname of the route matches listener \(listener.name)")
                    continue
                }
                result.append(Attachment(gateway: gateway, listener: listener, hosts: hosts))
            }
        }
        return (result, result.isEmpty ? (reasons.first ?? "no parentRefs") : nil)
    }

    /// The hosts of a route on a listener: the route's hostnames that the listener's
    /// admits (a wildcard admitting a name, or the more specific of two), or the
    /// listener's hostname when the route has none.
    static func intersect(route: [String], listener: String?) -> [String] {
        guard let listener else { return route.isEmpty ? [""] : route }
        if route.isEmpty { return [listener] }
        var hosts: [String] = []
        for host in route {
            let chosen: String?
            if host == listener {
                chosen = host
            } else if covers(listener, host) {
                chosen = host
            } else if covers(host, listener) {
                chosen = listener
            } else {
                chosen = nil
            }
            if let chosen, !hosts.contains(chosen) { hosts.append(chosen) }
        }
        return hosts
    }

    /// `*.example.com` covers `a.example.com` and `a.b.example.com`, and `*.a.example.com`.
    private static func covers(_ wildcard: String, _ host: String) -> Bool {
        guard wildcard.hasPrefix("*.") else { return false }
        let suffix = String(wildcard.dropFirst(1))
        return host.hasSuffix(suffix) && host.count > suffix.count
    }
}

extension ManifestValue {
    var items: [ManifestValue]? {
        if case .list(let items) = self { return items }
        return nil
    }

    var intValue: Int? {
        if case .int(let number) = self { return number }
        return nil
    }
}
