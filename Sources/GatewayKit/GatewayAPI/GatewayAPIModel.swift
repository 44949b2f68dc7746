/// Gateway API (`gateway.networking.k8s.io`) objects: what a project's routes become when
/// they move off the Nginx Ingress Controller. Only the fields the conversion writes are
/// modelled; the validator (`GatewayAPIValidator`) checks the rendered trees, so it also
/// judges objects kgate did not make.
public enum GatewayAPI {
    public static let group = "gateway.networking.k8s.io"
    public static let apiVersion = "gateway.networking.k8s.io/v1"
    /// ReferenceGrant's storage version: v1 is served only from Gateway API v1.5, v1beta1 by
    /// every release a cluster may run.
    public static let referenceGrantAPIVersion = "gateway.networking.k8s.io/v1beta1"
    /// Rules an HTTPRoute may hold.
    public static let maxRulesPerRoute = 16
}

/// A `Gateway`: the project's gateway as listeners.
public struct APIGateway: Hashable, Sendable {
    public var name: String
    public var namespace: String
    public var gatewayClassName: String
    public var listeners: [APIListener]

    public init(name: String, namespace: String, gatewayClassName: String, listeners: [APIListener]) {
        self.name = name
        self.namespace = namespace
        self.gatewayClassName = gatewayClassName
        self.listeners = listeners
    }
}

/// One listener: a port, a protocol and (optionally) a hostname; HTTPS ones terminate TLS
/// with `certificateRefs`.
public struct APIListener: Hashable, Sendable {
    public var name: String
    public var hostname: String?
    public var port: Int
    public var `protocol`: String
    /// Secrets of an HTTPS listener, in the namespace given (the routes' project).
    public var certificateRefs: [APISecretReference]
    /// The one namespace whose routes may attach (`allowedRoutes` by namespace name).
    public var allowedNamespace: String

    public init(
        name: String, hostname: String?, port: Int, protocol: String, certificateRefs: [APISecretReference] = [],
        allowedNamespace: String
    ) {
        self.name = name
        self.hostname = hostname
        self.port = port
        self.protocol = `protocol`
        self.certificateRefs = certificateRefs
        self.allowedNamespace = allowedNamespace
    }
}

public struct APISecretReference: Hashable, Sendable {
    public var name: String
    public var namespace: String

    public init(name: String, namespace: String) {
        self.name = name
        self.namespace = namespace
    }
}

/// An `HTTPRoute`: one Ingress (or, when its rules name several hosts, one host of it).
public struct APIHTTPRoute: Hashable, Sendable {
    public var metadata: ObjectMeta
    public var parentRefs: [APIParentReference]
    public var hostnames: [String]
    public var rules: [APIRouteRule]
    /// The Ingress it was converted from.
    public var ingress: String

    public var name: String { metadata.name }
}

public struct APIParentReference: Hashable, Sendable {
    public var name: String
    public var namespace: String?
    public var sectionName: String?

    public init(name: String, namespace: String?, sectionName: String?) {
        self.name = name
        self.namespace = namespace
        self.sectionName = sectionName
    }
}

public struct APIRouteRule: Hashable, Sendable {
    /// Empty: the rule matches every request (the API's default, `PathPrefix /`).
    public var matches: [APIPathMatch]
    public var filters: [APIRouteFilter]
    public var backendRefs: [APIBackendReference]

    public init(matches: [APIPathMatch], filters: [APIRouteFilter], backendRefs: [APIBackendReference]) {
        self.matches = matches
        self.filters = filters
        self.backendRefs = backendRefs
    }
}

public struct APIPathMatch: Hashable, Sendable {
    /// `Exact`, `PathPrefix` or `RegularExpression`.
    public var type: String
    public var value: String

    public init(type: String, value: String) {
        self.type = type
        self.value = value
    }
}

/// A Service and its port by number, which is what the API accepts.
public struct APIBackendReference: Hashable, Sendable {
    public var name: String
    public var port: Int

    public init(name: String, port: Int) {
        self.name = name
        self.port = port
    }
}

/// The standard filters the conversion uses.
public enum APIRouteFilter: Hashable, Sendable {
    case requestRedirect(APIRedirect)
    /// `URLRewrite` of the Host header and or the path (its matched prefix, or all of it).
    case urlRewrite(hostname: String?, path: APIPathRewrite?)
    /// `RequestHeaderModifier` setting headers, sorted by name.
    case setRequestHeaders([APIHeader])
}

public enum APIPathRewrite: Hashable, Sendable {
    case replacePrefixMatch(String)
    case replaceFullPath(String)
}

public struct APIRedirect: Hashable, Sendable {
    public var scheme: String?
    public var hostname: String?
    public var port: Int?
    public var replaceFullPath: String?
    public var statusCode: Int

    public init(scheme: String?, hostname: String?, port: Int?, replaceFullPath: String?, statusCode: Int) {
        self.scheme = scheme
        self.hostname = hostname
        self.port = port
        self.replaceFullPath = replaceFullPath
        self.statusCode = statusCode
    }

    /// The codes `requestRedirect.statusCode` may take.
    public static let statusCodes: Set<Int> = [301, 302, 303, 307, 308]
}

public struct APIHeader: Hashable, Sendable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// A `ReferenceGrant` in the project: lets the Gateway in the gateway namespace use the
/// project's TLS Secrets.
public struct APIReferenceGrant: Hashable, Sendable {
    public var name: String
    public var namespace: String
    public var fromNamespace: String
    public var secretNames: [String]
}

/// Something of an Ingress that the Gateway API objects do not carry, or carry differently.
public struct ConversionNote: Hashable, Sendable, CustomStringConvertible {
    /// The Ingress; empty for a note about the whole project.
    public var ingress: String
    public var field: FieldPath
    public var reason: String

    public init(ingress: String, field: FieldPath, reason: String) {
        self.ingress = ingress
        self.field = field
        self.reason = reason
    }

    /// `Ingress web: metadata.annotations[…]: no Gateway API equivalent; not converted`.
    public var description: String {
        let place = ingress.isEmpty ? "" : "Ingress \(ingress): "
        return place + FieldError(field, reason).description
    }
}

/// Everything a project converts to, with the notes of what did not carry over.
public struct GatewayAPISet: Hashable, Sendable {
    public var gateway: APIGateway
    public var routes: [APIHTTPRoute]
    public var referenceGrants: [APIReferenceGrant]
    /// Ordered by Ingress, then as the conversion met them.
    public var notes: [ConversionNote]

    public func notes(ingress: String) -> [ConversionNote] { notes.filter { $0.ingress == ingress } }
    public func routes(ingress: String) -> [APIHTTPRoute] { routes.filter { $0.ingress == ingress } }
}
