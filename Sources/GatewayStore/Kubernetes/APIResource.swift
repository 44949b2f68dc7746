import GatewayKit

/// A kind of object as the API serves it: where its collection lives
/// (`/api/v1/namespaces/demo/services`, `/apis/networking.k8s.io/v1/ingresses`).
struct APIResource: Hashable, Sendable {
    var group: String
    var version: String
    var plural: String
    var kind: String
    var namespaced: Bool

    var groupVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    /// `/api/v1` for the core group, `/apis/<group>/<version>` for the others.
    var root: String { group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)" }
    /// `ingresses.networking.k8s.io`, as RBAC messages name a resource.
    var qualifiedName: String { group.isEmpty ? plural : "\(plural).\(group)" }

    /// The collection, in one namespace or (empty) across all; with `name`, one object.
    func path(namespace: String = "", name: String? = nil) -> String {
        var path = root
        if namespaced, !namespace.isEmpty { path += "/namespaces/\(escaped(namespace))" }
        path += "/\(plural)"
        if let name { path += "/\(escaped(name))" }
        return path
    }

    /// Names are DNS labels or subdomains once validated; this keeps a hostile one from
    /// walking the path anyway.
    private func escaped(_ segment: String) -> String {
        segment.addingPercentEncodingForPath()
    }

    static let namespaces = APIResource(group: "", version: "v1", plural: "namespaces", kind: "Namespace", namespaced: false)
    static let nodes = APIResource(group: "", version: "v1", plural: "nodes", kind: "Node", namespaced: false)
    static let services = APIResource(group: "", version: "v1", plural: "services", kind: "Service", namespaced: true)
    static let secrets = APIResource(group: "", version: "v1", plural: "secrets", kind: "Secret", namespaced: true)
    static let configMaps = APIResource(group: "", version: "v1", plural: "configmaps", kind: "ConfigMap", namespaced: true)
    /// v1 Endpoints: read instead of EndpointSlices where those are not served (before 1.21).
    static let endpoints = APIResource(group: "", version: "v1", plural: "endpoints", kind: "Endpoints", namespaced: true)
    static let endpointSlices = APIResource(
        group: "discovery.k8s.io", version: "v1", plural: "endpointslices", kind: "EndpointSlice", namespaced: true)
    static let ingresses = APIResource(
        group: "networking.k8s.io", version: "v1", plural: "ingresses", kind: "Ingress", namespaced: true)
    static let deployments = APIResource(group: "apps", version: "v1", plural: "deployments", kind: "Deployment", namespaced: true)
    static let gateways = APIResource(
        group: "gateway.kubesphere.io", version: "v1alpha1", plural: "gateways", kind: "Gateway", namespaced: true)
    static let eips = APIResource(group: "network.kubesphere.io", version: "v1alpha2", plural: "eips", kind: "Eip", namespaced: false)

    /// Where `object` is stored.
    static func of(_ object: KubeObject) -> APIResource {
        switch object {
        case .project: namespaces
        case .node: nodes
        case .service: services
        case .endpoints: endpointSlices
        case .secret: secrets
        case .route: ingresses
        case .gateway: gateways
        case .routerDeployment: deployments
        case .addressPool: eips
        case .settings: configMaps
        }
    }
}

extension String {
    /// Percent-encodes everything but unreserved characters (RFC 3986), for a path segment
    /// or a query value.
    func addingPercentEncodingForPath() -> String {
        var out = ""
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }
}
