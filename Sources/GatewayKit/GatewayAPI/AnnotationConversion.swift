/// What each ingress-nginx annotation of an Ingress becomes in an HTTPRoute: a standard
/// filter where one exists, a note where none does. Nothing is dropped silently.
struct AnnotationConversion {
    var redirect: APIRedirect?
    var rewriteHost: String?
    var rewritePath: String?
    var headers: [APIHeader] = []
    /// The route's paths are regular expressions (`use-regex`, or a `rewrite-target` with
    /// capture groups, which makes ingress-nginx read them so).
    var regexPaths = false
    /// `ssl-redirect` is on unless turned off (ingress-nginx's default for TLS hosts);
    /// `force-ssl-redirect` keeps it on.
    var sslRedirect = true
    var notes: [ConversionNote] = []

    private static let prefix = IngressNginxAnnotations.prefix
    /// kubectl's own record of the Ingress it applied: meaningless for another object.
    static let lastApplied = "kubectl.kubernetes.io/last-applied-configuration"

    init(route: Route) {
        let annotations = route.metadata.annotations
        for (key, value) in annotations.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
            guard key.hasPrefix(Self.prefix) else { continue }
            let name = String(key.dropFirst(Self.prefix.count))
            let field = FieldPath("metadata.annotations").key(key)
            var reasons: [String] = []
            switch name {
            case "use-regex":
                if value == "true" {
                    regexPaths = true
                    reasons.append("paths become RegularExpression matches, which Gateway API implementations need not support")
                }
            case "ssl-redirect":
                if value == "false" && annotations[Self.prefix + "force-ssl-redirect"] != "true" { sslRedirect = false }
            case "force-ssl-redirect":
                if value == "true" && route.tls.isEmpty {
                    reasons.append("forcing https for a host without TLS has no equivalent here; not converted")
                }
            case "rewrite-target":
                if value.contains("$") {
                    regexPaths = true
                    reasons.append("a rewrite with capture groups has no Gateway API equivalent; not converted")
                } else {
                    rewritePath = value
                    reasons.append("converted to URLRewrite, which replaces only the matched prefix of a PathPrefix match")
                }
            case "upstream-vhost":
                if let reason = GatewayAPIFormat.preciseHostname(value) {
                    reasons.append("\"\(TerminalText.escaped(value))\" is no host name URLRewrite takes (\(reason)); not converted")
                } else {
                    rewriteHost = value
                }
            case "x-forwarded-prefix":
                if value.isEmpty || value.utf8.count > 4096 {
                    reasons.append("a header value must have 1 to 4096 bytes; not converted")
                } else {
                    headers.append(APIHeader(name: "X-Forwarded-Prefix", value: value))
                }
            case "permanent-redirect", "temporal-redirect":
                let code = Int(annotations[Self.prefix + name + "-code"] ?? "") ?? (name == "permanent-redirect" ? 301 : 302)
                if !APIRedirect.statusCodes.contains(code) {
                    reasons.append("status code \(code) is not one the API allows; 302 is used")
                }
                if redirect != nil {
                    reasons.append("a second redirect; the first is used")
                } else if let converted = Self.redirect(value, statusCode: code) {
                    redirect = converted
                } else {
                    reasons.append("\"\(TerminalText.escaped(value))\" is not an absolute http(s) URL; not converted")
                }
            case "permanent-redirect-code", "temporal-redirect-code":
                continue
            case "service-upstream":
                reasons.append("proxying to the Service's cluster IP is the implementation's choice in Gateway API; not converted")
            default:
                reasons.append("no Gateway API equivalent; not converted")
            }
            notes += reasons.map { ConversionNote(ingress: route.name, field: field, reason: $0) }
        }
        if regexPaths && rewritePath != nil {
            notes.append(ConversionNote(ingress: route.name, field: FieldPath("metadata.annotations").key(Self.prefix + "rewrite-target"),
                reason: "the paths are regular expressions, which URLRewrite cannot replace; not converted"))
        }
        if redirect != nil && (rewriteHost != nil || rewritePath != nil || !headers.isEmpty) {
            notes.append(ConversionNote(ingress: route.name, field: "metadata.annotations",
                reason: "a route that redirects forwards nothing, so its rewrites and headers are not converted"))
        }
        if annotations[Self.lastApplied] != nil {
            notes.append(ConversionNote(
                ingress: route.name, field: FieldPath("metadata.annotations").key(Self.lastApplied),
                reason: "kubectl's record of the Ingress; not carried"))
        }
    }

    /// The filters of a rule with `match`: a redirect alone, or the header and rewrite
    /// filters; a path rewrite takes the form the match allows.
    func filters(for match: APIPathMatch?) -> [APIRouteFilter] {
        if let redirect { return [.requestRedirect(redirect)] }
        var filters: [APIRouteFilter] = []
        if !headers.isEmpty { filters.append(.setRequestHeaders(headers)) }
        var path: APIPathRewrite?
        if let rewritePath {
            switch match?.type {
            case "PathPrefix"?: path = .replacePrefixMatch(rewritePath)
            case "Exact"?: path = .replaceFullPath(rewritePath)
            default: path = nil
            }
        }
        if rewriteHost != nil || path != nil { filters.append(.urlRewrite(hostname: rewriteHost, path: path)) }
        return filters
    }

    /// `https://example.com:8443/new` as a RequestRedirect; nil for anything but an absolute
    /// http(s) URL. A status code the API does not list becomes 302.
    static func redirect(_ url: String, statusCode: Int) -> APIRedirect? {
        let parts = url.split(separator: "://", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, ["http", "https"].contains(parts[0].lowercased()) else { return nil }
        let rest = parts[1]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let path = rest.dropFirst(authority.count)
        guard !authority.isEmpty, !path.contains("?"), !path.contains("#") else { return nil }
        var hostname = Substring(authority)
        var port: Int?
        if let colon = authority.lastIndex(of: ":") {
            guard let number = Int(authority[authority.index(after: colon)...]), (1...65535).contains(number) else { return nil }
            port = number
            hostname = authority[..<colon]
        }
        let code = APIRedirect.statusCodes.contains(statusCode) ? statusCode : 302
        return APIRedirect(
            scheme: parts[0].lowercased(), hostname: hostname.lowercased(), port: port,
            replaceFullPath: path.isEmpty ? nil : String(path), statusCode: code)
    }
}
