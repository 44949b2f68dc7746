import GatewayKit

/// What a local gateway serves, decided from the model before any text is written: one
/// site per project (its gateway's two ports), one server per host, the locations of
/// every path, the upstreams they proxy to, and a note for everything left out and why.
///
/// Keeping the decisions apart from the text lets tests check routing semantics without
/// reading nginx.conf, and keeps `NginxConfig` a plain printer.
public struct NginxPlan: Hashable, Sendable {
    public var listenAddress: String
    public var sites: [NginxSite]
    /// Every upstream any location proxies to, sorted by name.
    public var upstreams: [NginxUpstream]
    /// The TLS secrets the servers use, sorted; the runtime writes their files.
    public var secrets: [SecretReference]
    /// What was left out (a route that does not validate, a secret that is missing, a
    /// duplicate path) with the reason, in a stable order. Never holds key material.
    public var notes: [String]
    /// Demo endpoints the gateway answers itself, sorted by address and port.
    public var demoBackends: [NginxDemoBackend] = []

    /// The Host of the kgate-only server on each http port that answers with nginx's
    /// worker pid: an underscore makes it a name no Ingress host can be.
    public static let readinessHost = "_kgate-ready"
}

/// One project's gateway on its two ports.
public struct NginxSite: Hashable, Sendable {
    public var project: String
    public var httpPort: Int
    public var httpsPort: Int
    /// ingress-nginx's `ssl-redirect` (on by default): http requests for a TLS host are
    /// redirected to https.
    public var sslRedirect: Bool
    /// ingress-nginx's `proxy-body-size`, when the gateway sets one.
    public var bodySize: String?
    /// One server per host, sorted by host.
    public var servers: [NginxServer]
    /// The default server's locations: rules without a host and the routes' default
    /// backend. Every other request on the site's ports gets 404 there.
    public var defaultLocations: [NginxLocation]
    /// The default server's locations on the https port when HTTPRoutes make them differ
    /// from `defaultLocations` (which then serve the http port only).
    public var defaultHTTPSLocations: [NginxLocation]? = nil
    /// ingress-nginx's default certificate: served on https to every host that has no
    /// usable certificate of its own, and to hosts no rule names. The first usable
    /// certificate of the site's TLS hosts, by host; nil refuses those handshakes.
    public var defaultCertificate: SecretReference? = nil
}

public struct NginxServer: Hashable, Sendable {
    /// A DNS name or a leading `*.` wildcard, as the Ingress rule has it.
    public var host: String
    /// The host's own usable certificate (from the `spec.tls` entry that lists it); the
    /// site's default certificate serves it when nil.
    public var tls: SecretReference?
    /// Listed in a route's `spec.tls`: with ssl-redirect, http requests are redirected
    /// to https even when its secret is unusable; it is never served over http then.
    public var isTLSHost = false
    /// Sorted by match, so that the same model always gives the same text.
    public var locations: [NginxLocation]
    /// The locations on the https port when HTTPRoutes attached to an HTTP and an HTTPS
    /// listener make them differ; `locations` then serve the http port only.
    public var httpsLocations: [NginxLocation]? = nil
}

public struct NginxLocation: Hashable, Sendable {
    public enum Match: Hashable, Sendable, Comparable {
        /// `location = /p`
        case exact(String)
        /// `location /p`: nginx's longest-prefix match, character-wise.
        case prefix(String)

        public var path: String {
            switch self {
            case .exact(let path), .prefix(let path): path
            }
        }
    }

    public enum Target: Hashable, Sendable {
        case upstream(String)
        /// No endpoint to send the request to: ingress-nginx answers 503.
        case unavailable
        case notFound
        /// An HTTPRoute rule with no backend to send to (the API's 500).
        case serverError
        /// An HTTPRoute rule's backend with its `URLRewrite` and header filters. Boxed, as
        /// is `redirect`: a location is moved and copied often, and most are not these.
        indirect case proxy(NginxProxy)
        /// An HTTPRoute rule's `RequestRedirect`.
        indirect case redirect(NginxRedirect)
    }

    public var match: Match
    public var target: Target
    /// The route's `*-source-range` annotations, as `deny`/`allow` rules.
    public var sources = SourceRanges()
    /// The route and path that claimed the location, logged with each request it serves
    /// (see `AccessRecord`); nil for the 404 where no route matches.
    public var origin: RouteOrigin? = nil
    /// HTTPRoute rules on this path that match headers too, most headers first: the
    /// first whose headers all match answers; `target` answers the rest.
    public var headerCases: [NginxHeaderCase] = []
}

/// Which route path a location serves: a Prefix path's two locations share one origin,
/// so that its traffic is counted once.
public struct RouteOrigin: Hashable, Sendable {
    /// `namespace/name`.
    public var route: String
    /// The path as the rule has it (`/` for a default backend).
    public var path: String

    public init(route: String, path: String) {
        self.route = route
        self.path = path
    }
}

/// An HTTPRoute rule's header matches (exact, all of them) and what answers then.
public struct NginxHeaderCase: Hashable, Sendable {
    public var headers: [StoredHTTPRoute.HeaderMatch]
    public var target: NginxLocation.Target

    public init(headers: [StoredHTTPRoute.HeaderMatch], target: NginxLocation.Target) {
        self.headers = headers
        self.target = target
    }
}

/// Proxying as an HTTPRoute rule's filters ask: the Host header and the path rewritten,
/// request headers set.
public struct NginxProxy: Hashable, Sendable {
    public var upstream: String
    public var host: String?
    public var path: NginxPathRewrite?
    public var setHeaders: [StoredHTTPRoute.HeaderMatch]
}

public enum NginxPathRewrite: Hashable, Sendable {
    /// The whole path becomes this.
    case full(String)
    /// The first `strip` bytes of the path (the matched prefix) become `replacement`
    /// (without a trailing slash; the rest of the path starts with one).
    case prefix(strip: Int, replacement: String)
}

/// A redirect's Location, decided at plan time except what the request gives: the
/// host when `host` is nil, the path when `path` is nil (then the query too).
public struct NginxRedirect: Hashable, Sendable {
    public var statusCode: Int
    public var scheme: String
    public var host: String?
    /// Written only when it is not the scheme's own port.
    public var port: Int?
    public var path: NginxPathRewrite?
}

/// Where a Service port really listens: the EndpointSlice addresses and ports.
public struct NginxUpstream: Hashable, Sendable {
    /// `<namespace>.<service>.<port>`: dots cannot occur in either name, so two backends
    /// never share a name.
    public var name: String
    /// `127.0.0.1:18080`, `[::1]:18080`, in the slices' order without repeats.
    public var servers: [String]
    /// Each server's weight (an HTTPRoute's weighted backendRefs); empty: all equal.
    public var weights: [Int] = []
}

public struct SecretReference: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var namespace: String
    public var name: String

    public init(namespace: String, name: String) {
        self.namespace = namespace
        self.name = name
    }

    public var description: String { "\(namespace)/\(name)" }

    public static func < (a: SecretReference, b: SecretReference) -> Bool {
        (a.namespace, a.name) < (b.namespace, b.name)
    }
}

/// Where the gateway listens. Ports default to the gateway's node ports; the address to
/// loopback, so that nothing is exposed unless the operator says so.
public struct NginxListen: Hashable, Sendable {
    public var address: String
    public var httpPort: Int?
    public var httpsPort: Int?

    public init(address: String = "127.0.0.1", httpPort: Int? = nil, httpsPort: Int? = nil) {
        self.address = address
        self.httpPort = httpPort
        self.httpsPort = httpsPort
    }
}

/// Why a gateway cannot be served, in words an operator can act on.
public struct NginxRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
