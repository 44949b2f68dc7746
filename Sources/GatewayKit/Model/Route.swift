/// A route: a `networking.k8s.io/v1` Ingress in the project's namespace.
///
/// Its fields sit in one box shared by every copy until a copy is changed (copy on write,
/// as `Array` does): a route is copied from the store's tables into the inventory, the
/// console's lists and the nginx plan, and at 100,000 routes copying its dozen fields
/// one by one cost the first frame 30 MB and the routes screen a third of its time.
public struct Route: Hashable, Sendable {
    @usableFromInline
    struct Fields: Hashable, Sendable {
        @usableFromInline var metadata: ObjectMeta
        @usableFromInline var ingressClassName: String?
        @usableFromInline var defaultBackend: RouteBackend?
        @usableFromInline var rules: [RouteRule]
        @usableFromInline var tls: [RouteTLS]
        @usableFromInline var stored: StoredManifest
    }

    /// Changed only while this route holds it alone (`fields`' modify).
    @usableFromInline
    final class Box: @unchecked Sendable {
        /// Without the runtime's exclusivity check on each access: a box is written only
        /// while one route holds it alone, inside that route's own (checked) mutation, so
        /// no access to it can overlap a write. Checked, every read of a route's field
        /// cost some 100 instructions in the runtime: most of opening the routes list of
        /// 100,000 routes (callgrind), 3% of the nginx plan.
        @exclusivity(unchecked) @usableFromInline var fields: Fields

        @usableFromInline
        init(_ fields: Fields) { self.fields = fields }
    }

    @usableFromInline var box: Box

    @inlinable
    var fields: Fields {
        get { box.fields }
        _modify {
            if !isKnownUniquelyReferenced(&box) { box = Box(box.fields) }
            yield &box.fields
        }
    }

    @inlinable
    public var metadata: ObjectMeta {
        get { box.fields.metadata }
        _modify { yield &fields.metadata }
    }

    @inlinable
    public var ingressClassName: String? {
        get { box.fields.ingressClassName }
        _modify { yield &fields.ingressClassName }
    }

    @inlinable
    public var defaultBackend: RouteBackend? {
        get { box.fields.defaultBackend }
        _modify { yield &fields.defaultBackend }
    }

    @inlinable
    public var rules: [RouteRule] {
        get { box.fields.rules }
        _modify { yield &fields.rules }
    }

    @inlinable
    public var tls: [RouteTLS] {
        get { box.fields.tls }
        _modify { yield &fields.tls }
    }

    /// The Ingress as it was read: what a save keeps of the fields kgate does not model.
    @inlinable
    public var stored: StoredManifest {
        get { box.fields.stored }
        _modify { yield &fields.stored }
    }

    public init(
        metadata: ObjectMeta, ingressClassName: String? = nil, defaultBackend: RouteBackend? = nil,
        rules: [RouteRule], tls: [RouteTLS] = []
    ) {
        box = Box(
            Fields(
                metadata: metadata, ingressClassName: ingressClassName, defaultBackend: defaultBackend, rules: rules, tls: tls,
                stored: StoredManifest()))
    }

    public static func == (lhs: Route, rhs: Route) -> Bool {
        lhs.box === rhs.box || lhs.box.fields == rhs.box.fields
    }

    public func hash(into hasher: inout Hasher) { box.fields.hash(into: &hasher) }

    public var name: String { metadata.name }
    public var namespace: String { metadata.namespace }

    /// The console's display name (annotation `kubesphere.io/alias-name`, at most 63 chars).
    public var alias: String? {
        get { metadata.annotations[KubeSphereAnnotation.alias] }
        set { metadata.annotations[KubeSphereAnnotation.alias] = newValue }
    }

    /// Free text (annotation `kubesphere.io/description`, at most 256 chars).
    public var description: String? {
        get { metadata.annotations[KubeSphereAnnotation.description] }
        set { metadata.annotations[KubeSphereAnnotation.description] = newValue }
    }

    /// Whether a TLS entry lists `host`, which makes its URLs https.
    public func isTLS(host: String) -> Bool {
        tls.contains { $0.hosts.contains(host) }
    }

    /// The TLS secret that serves `host`, if any.
    @inlinable
    public func tlsSecret(host: String) -> String? {
        tls.first { $0.hosts.contains(host) }?.secretName
    }
}

public struct RouteRule: Hashable, Sendable {
    /// A DNS name or `*.`-wildcard; empty matches every host.
    public var host: String
    public var paths: [RoutePath]

    public init(host: String, paths: [RoutePath]) {
        self.host = host
        self.paths = paths
    }
}

public struct RoutePath: Hashable, Sendable {
    public var path: String
    /// Required by the API; nil only in objects that have not been validated.
    public var pathType: PathType?
    public var backend: RouteBackend

    public init(path: String = "/", pathType: PathType? = .implementationSpecific, backend: RouteBackend) {
        self.path = path
        self.pathType = pathType
        self.backend = backend
    }
}

public enum PathType: String, Hashable, Sendable, CaseIterable {
    case exact = "Exact"
    case prefix = "Prefix"
    case implementationSpecific = "ImplementationSpecific"
}

/// A route backend: a Service and one of its ports, by number or by name.
///
/// The API allows exactly one of the two; both fields exist so that a parsed object that
/// breaks the rule can be reported rather than silently repaired.
public struct RouteBackend: Hashable, Sendable {
    public var service: String
    public var portNumber: Int?
    public var portName: String?

    public init(service: String, portNumber: Int? = nil, portName: String? = nil) {
        self.service = service
        self.portNumber = portNumber
        self.portName = portName
    }

    public init(service: String, port: Int) { self.init(service: service, portNumber: port) }

    /// `80` or `http`, as the CLI and the console show it.
    public var portText: String {
        if let portNumber { return String(portNumber) }
        return portName ?? ""
    }
}

public struct RouteTLS: Hashable, Sendable {
    public var hosts: [String]
    public var secretName: String?

    public init(hosts: [String], secretName: String?) {
        self.hosts = hosts
        self.secretName = secretName
    }
}
