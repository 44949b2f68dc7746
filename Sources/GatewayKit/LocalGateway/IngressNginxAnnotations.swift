/// What the local gateway does with each ingress-nginx annotation of a route.
///
/// A cluster's ingress-nginx reads `nginx.ingress.kubernetes.io/*` annotations; of those
/// that change who may reach a route, the local gateway implements only the source
/// ranges. Serving a route without the others would open what the cluster keeps closed,
/// so such routes are refused (with the reason); every other ingress-nginx annotation is
/// served without and listed as "not applied locally". One call gives both, for `serve`, `route show` and the
/// console's route view.
public enum IngressNginxAnnotations {
    public static let prefix = "nginx.ingress.kubernetes.io/"

    public enum Verdict: Hashable, Sendable {
        /// The local gateway does what the annotation asks (or it makes no difference locally).
        case applied
        /// The annotation restricts access and the local gateway cannot: the route is not served.
        case refused(reason: String)
        /// Served without it: rewrites, timeouts, CORS, canaries, rate limits and the rest.
        case notAppliedLocally
    }

    /// An annotation that keeps its route from being served, and why.
    public struct RefusedAnnotation: Hashable, Sendable {
        public var key: String
        public var reason: String
    }

    /// The verdict of every ingress-nginx annotation of a route; other annotations
    /// (KubeSphere's alias, kubectl's last-applied) concern no gateway and are left out.
    public struct Assessment: Hashable, Sendable {
        /// Sorted by key: any one of them keeps the route from being served.
        public var refused: [RefusedAnnotation] = []
        /// Keys served without, sorted.
        public var notAppliedLocally: [String] = []

        public init(refused: [RefusedAnnotation] = [], notAppliedLocally: [String] = []) {
            self.refused = refused
            self.notAppliedLocally = notAppliedLocally
        }

        public var isServable: Bool { refused.isEmpty }

        /// The first refusal as one sentence, for a note or an error line.
        public var refusal: String? {
            refused.first.map { "annotation \($0.key): \($0.reason); the local gateway does not serve it open" }
        }
    }

    public static func assess(_ annotations: [String: String]) -> Assessment {
        var assessment = Assessment()
        for (key, value) in annotations.sorted(by: { $0.key < $1.key }) {
            switch verdict(key: key, value: value) {
            case nil, .applied?: continue
            case .refused(let reason)?: assessment.refused.append(RefusedAnnotation(key: key, reason: reason))
            case .notAppliedLocally?: assessment.notAppliedLocally.append(key)
            }
        }
        return assessment
    }

    /// The verdict for one annotation; nil for a key that is not ingress-nginx's.
    public static func verdict(key: String, value: String) -> Verdict? {
        guard key.hasPrefix(prefix) else { return nil }
        let name = String(key.dropFirst(prefix.count))
        if applied.contains(name) { return .applied }
        if SourceRanges.names.contains(name) {
            guard SourceRanges.parse(value) != nil else {
                return .refused(reason: "\"\(value.count > 40 ? "…" : value)\" is not a list of IP addresses or CIDR ranges")
            }
            return .applied
        }
        if let reason = accessControl(name) { return .refused(reason: reason) }
        return .notAppliedLocally
    }

    /// `service-upstream` picks the Service's cluster IP over its endpoints; the local
    /// gateway proxies to the endpoints kube-proxy would pick from, which reaches the same pods.
    static let applied: Set<String> = ["service-upstream"]

    /// ingress-nginx's annotations that decide who may reach a route (its "Authentication",
    /// "Client Certificate Authentication", "External Authentication", "Satisfy" and
    /// ModSecurity sections; the source ranges are implemented, see `SourceRanges`), and the snippets, whose raw config may hold
    /// `deny` or `auth_request` lines that kgate cannot read.
    static func accessControl(_ name: String) -> String? {
        if name.hasPrefix("auth-tls-") { return "client certificate authentication is not implemented locally" }
        if name.hasPrefix("auth-") || name == "enable-global-auth" {
            return "authentication is not implemented locally"
        }
        if name.hasSuffix("-source-range") && !name.hasPrefix("limit-") {
            return "this source-address restriction is not implemented locally"
        }
        if name == "satisfy" { return "access rules are not implemented locally" }
        if name.hasPrefix("modsecurity") || name == "enable-modsecurity" || name == "enable-owasp-core-rules" {
            return "the ModSecurity web application firewall is not run locally"
        }
        if name.hasSuffix("-snippet") || name == "snippet" {
            return "snippets are raw nginx config, which kgate does not run, and may restrict access"
        }
        return nil
    }
}
