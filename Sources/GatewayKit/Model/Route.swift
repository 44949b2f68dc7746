/// A route: a `networking.k8s.io/v1` Ingress in the project's namespace.
public struct Route: Hashable, Sendable {
    public var metadata: ObjectMeta
    public var ingressClassName: String?
    public var defaultBackend: RouteBackend?
    public var rules: [RouteRule]
    public var tls: [RouteTLS]
    /// The Ingress as it was read: what a save keeps of the fields kgate does not model.
    public var stored = StoredManifest()

    public init(
        metadata: ObjectMeta, ingressClassName: String? = nil, defaultBackend: RouteBackend? = nil,
        rules: [RouteRule], tls: [RouteTLS] = []
    ) {
        self.metadata = metadata
        self.ingressClassName = ingressClassName
        self.defaultBackend = defaultBackend
        self.rules = rules
        self.tls = tls
    }

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
