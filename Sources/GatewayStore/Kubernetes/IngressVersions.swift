import GatewayKit

/// The Ingress versions of older clusters (KubeSphere 2.1–3.1 ran on Kubernetes
/// 1.15–1.20), converted to and from `networking.k8s.io/v1`, the one shape the model reads
/// and writes. Pure: JSON trees in, JSON trees out.
///
/// | v1 | v1beta1 (networking.k8s.io, extensions) |
/// |---|---|
/// | `spec.defaultBackend` | `spec.backend` |
/// | `backend.service.name` | `backend.serviceName` |
/// | `backend.service.port.number` / `.name` | `backend.servicePort` (int or string) |
/// | `pathType` (required) | `pathType` (1.18+; absent: `ImplementationSpecific`) |
///
/// `backend.resource` and every other field are the same in both and pass through.
public enum IngressAPIVersion: String, CaseIterable, Sendable {
    case v1 = "networking.k8s.io/v1"
    /// Kubernetes 1.14–1.21.
    case networkingV1beta1 = "networking.k8s.io/v1beta1"
    /// Kubernetes up to 1.21 (the only one before 1.14).
    case extensionsV1beta1 = "extensions/v1beta1"

    /// `/apis/networking.k8s.io/v1`: where discovery lists `ingresses`.
    var root: String { "/apis/\(rawValue)" }
    var group: String { String(rawValue.split(separator: "/")[0]) }
    var version: String { String(rawValue.split(separator: "/")[1]) }
}

enum IngressVersions {
    // MARK: Paths

    /// `path` (of `networking.k8s.io/v1` Ingresses) as `version` serves it; nil when the
    /// path is not an Ingress path of v1 (discovery, other kinds).
    static func path(_ path: String, as version: IngressAPIVersion) -> String? {
        let prefix = IngressAPIVersion.v1.root + "/"
        guard path.hasPrefix(prefix) else { return nil }
        let rest = path.dropFirst(prefix.count)
        let segments = rest.split(separator: "/", omittingEmptySubsequences: false)
        let isIngress = segments.first == "ingresses" || (segments.count >= 3 && segments[0] == "namespaces" && segments[2] == "ingresses")
        guard isIngress else { return nil }
        return version.root + "/" + rest
    }

    // MARK: Ingress objects

    /// An Ingress, an IngressList or a watch event's object read from `version`, in the v1
    /// shape. Anything else (a Status) is returned as it is.
    static func toV1(_ value: ManifestValue) -> ManifestValue {
        var result = value
        if case .list(let items)? = value["items"] {
            result.set("items", .list(items.map(ingressToV1)))
            if value["kind"] != nil { result.set("kind", .string("IngressList")) }
            if value["apiVersion"] != nil { result.set("apiVersion", .string(IngressAPIVersion.v1.rawValue)) }
            return result
        }
        guard value["kind"] == .string("Ingress") || value["spec"] != nil else { return value }
        return ingressToV1(value)
    }

    static func ingressToV1(_ value: ManifestValue) -> ManifestValue {
        var result = value
        if value["apiVersion"] != nil { result.set("apiVersion", .string(IngressAPIVersion.v1.rawValue)) }
        guard case .map(var spec)? = value["spec"] else { return result }
        if let index = spec.firstIndex(where: { $0.key == "backend" }) {
            spec[index] = ManifestField("defaultBackend", backendToV1(spec[index].value))
        }
        mapPaths(&spec) { path in
            var path = path
            if let backend = path["backend"] { path.set("backend", backendToV1(backend)) }
            if path["pathType"] == nil || path["pathType"] == .null { path.set("pathType", .string("ImplementationSpecific")) }
            return path
        }
        result.set("spec", .map(spec))
        return result
    }

    /// `{serviceName, servicePort}` → `{service: {name, port: {number | name}}}`.
    static func backendToV1(_ backend: ManifestValue) -> ManifestValue {
        guard case .map(let fields) = backend, fields.contains(where: { $0.key == "serviceName" || $0.key == "servicePort" }) else {
            return backend
        }
        var service: [ManifestField] = []
        if let name = backend["serviceName"] { service.append(ManifestField("name", name)) }
        switch backend["servicePort"] {
        case .int(let number)?: service.append(ManifestField("port", .map([ManifestField("number", .int(number))])))
        case .string(let text)?:
            // An IntOrString: digits are a number, as the API server reads them.
            if let number = Int(text) {
                service.append(ManifestField("port", .map([ManifestField("number", .int(number))])))
            } else {
                service.append(ManifestField("port", .map([ManifestField("name", .string(text))])))
            }
        default: break
        }
        var result = fields.filter { $0.key != "serviceName" && $0.key != "servicePort" }
        result.insert(ManifestField("service", .map(service)), at: 0)
        return .map(result)
    }

    /// A v1 Ingress as `version` takes it (for a create or a replace).
    static func fromV1(_ value: ManifestValue, to version: IngressAPIVersion) -> ManifestValue {
        guard version != .v1 else { return value }
        var result = value
        if value["apiVersion"] != nil { result.set("apiVersion", .string(version.rawValue)) }
        guard case .map(var spec)? = value["spec"] else { return result }
        if let index = spec.firstIndex(where: { $0.key == "defaultBackend" }) {
            spec[index] = ManifestField("backend", backendFromV1(spec[index].value))
        }
        mapPaths(&spec) { path in
            var path = path
            if let backend = path["backend"] { path.set("backend", backendFromV1(backend)) }
            return path
        }
        result.set("spec", .map(spec))
        return result
    }

    /// `{service: {name, port: {number | name}}}` → `{serviceName, servicePort}`.
    static func backendFromV1(_ backend: ManifestValue) -> ManifestValue {
        guard case .map(let fields) = backend, let service = backend["service"] else { return backend }
        var converted: [ManifestField] = []
        if let name = service["name"] { converted.append(ManifestField("serviceName", name)) }
        if let number = service["port"]?["number"] {
            converted.append(ManifestField("servicePort", number))
        } else if let name = service["port"]?["name"] {
            converted.append(ManifestField("servicePort", name))
        }
        return .map(converted + fields.filter { $0.key != "service" })
    }

    /// Each `rules[].http.paths[]` of a spec changed by `change`.
    private static func mapPaths(_ spec: inout [ManifestField], _ change: (ManifestValue) -> ManifestValue) {
        guard let index = spec.firstIndex(where: { $0.key == "rules" }), case .list(let rules) = spec[index].value else { return }
        spec[index].value = .list(rules.map { rule in
            guard case .list(let paths)? = rule["http"]?["paths"], var http = rule["http"] else { return rule }
            http.set("paths", .list(paths.map(change)))
            var rule = rule
            rule.set("http", http)
            return rule
        })
    }

    // MARK: Endpoints

    /// A v1 `Endpoints` (Kubernetes before 1.21 has no `discovery.k8s.io/v1` slices) as the
    /// one EndpointSlice of its Service: every subset's addresses (ready and not) with the
    /// union of their ports. Subsets with different ports (rare: a port only some pods
    /// serve) are merged, so such an address may be listed with a port it lacks.
    static func endpointSlice(fromEndpoints value: ManifestValue) -> ManifestValue {
        var name = "", namespace = ""
        if case .string(let text)? = value["metadata"]?["name"] { name = text }
        if case .string(let text)? = value["metadata"]?["namespace"] { namespace = text }
        var endpoints: [ManifestValue] = []
        var ports: [ManifestValue] = []
        var seenAddresses = Set<String>()
        if case .list(let subsets)? = value["subsets"] {
            for subset in subsets {
                for (key, ready) in [("addresses", true), ("notReadyAddresses", false)] {
                    guard case .list(let addresses)? = subset[key] else { continue }
                    for address in addresses {
                        guard case .string(let ip)? = address["ip"], seenAddresses.insert(ip).inserted else { continue }
                        endpoints.append(.map([
                            ManifestField("addresses", .list([.string(ip)])),
                            ManifestField("conditions", .map([ManifestField("ready", .bool(ready))])),
                        ]))
                    }
                }
                if case .list(let subsetPorts)? = subset["ports"] {
                    for port in subsetPorts where !ports.contains(port) { ports.append(port) }
                }
            }
        }
        var metadata: [ManifestField] = [
            ManifestField("name", .string(name)), ManifestField("namespace", .string(namespace)),
            ManifestField("labels", .map([ManifestField("kubernetes.io/service-name", .string(name))])),
        ]
        if let version = value["metadata"]?["resourceVersion"] { metadata.append(ManifestField("resourceVersion", version)) }
        return .map([
            ManifestField("apiVersion", .string("discovery.k8s.io/v1")), ManifestField("kind", .string("EndpointSlice")),
            ManifestField("metadata", .map(metadata)), ManifestField("addressType", .string("IPv4")),
            ManifestField("endpoints", .list(endpoints)), ManifestField("ports", .list(ports)),
        ])
    }
}
