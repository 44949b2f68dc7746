import Foundation
import GatewayKit
import Synchronization

/// The test API server as Kubernetes before 1.19 (and 1.21) is: Ingresses served only as
/// `networking.k8s.io/v1beta1` or `extensions/v1beta1`, Endpoints only as v1 `Endpoints`
/// (no `discovery.k8s.io/v1`). Objects stay stored in the v1 shape; requests and answers
/// are converted at the edge, by code of its own (not kgate's `IngressVersions`), so that
/// the two conversions check each other.
///
/// `extensions/v1beta1` plays a 1.15 server, which has no `pathType` (an unknown field is
/// dropped); `networking.k8s.io/v1beta1` a 1.18–1.20 one, which keeps it. Watches of the
/// old paths are passed through unconverted (the tests that use this mode only list and write).
enum TestLegacyAPI {
    /// Turns the mode on for `cluster`, serving Ingresses as `ingressVersion`.
    static func serve(_ cluster: TestCluster, ingressVersion: String) {
        registry.withLock { entries in
            entries.removeAll { $0.cluster == nil || $0.cluster === cluster }
            entries.append(Entry(cluster: cluster, ingressVersion: ingressVersion))
        }
    }

    private final class Entry: @unchecked Sendable {
        weak var cluster: TestCluster?
        let ingressVersion: String
        init(cluster: TestCluster, ingressVersion: String) {
            self.cluster = cluster
            self.ingressVersion = ingressVersion
        }
    }

    private static let registry = Mutex<[Entry]>([])
    private static let forwarded = "X-Test-Legacy-Forwarded"

    /// The answer in legacy mode; nil when the request is the router's as usual.
    static func handle(_ request: TestRequest, router: TestRouter) -> TestResponse? {
        guard request.header(forwarded).isEmpty,
            let version = registry.withLock({ entries in entries.first { $0.cluster === router.cluster }?.ingressVersion })
        else { return nil }
        let path = request.path
        let notFound = TestResponse.failure(TestStatus(code: 404, reason: "NotFound", message: "the server could not find the requested resource"))
        // What an old server lacks.
        if path == "/apis/networking.k8s.io/v1" || path.hasPrefix("/apis/networking.k8s.io/v1/")
            || path == "/apis/discovery.k8s.io/v1" || path.hasPrefix("/apis/discovery.k8s.io/v1/")
        {
            return notFound
        }
        if path == "/apis/\(version)" {
            return .success(.map([
                ManifestField("kind", .string("APIResourceList")), ManifestField("groupVersion", .string(version)),
                ManifestField("resources", .list([.map([
                    ManifestField("name", .string("ingresses")), ManifestField("namespaced", .bool(true)),
                    ManifestField("kind", .string("Ingress")),
                ])])),
            ]))
        }
        if path.hasPrefix("/apis/\(version)/") {
            var inner = request
            inner.path = "/apis/networking.k8s.io/v1/" + path.dropFirst("/apis/\(version)/".count)
            inner.headers.append((forwarded, "1"))
            if let body = try? JSONReader.read(request.body) {
                inner.body = Array(JSONEmitter.document(ingressToV1(body)).utf8)
            }
            return converted(router.handle(inner), listVersion: version, listKind: "IngressList") { ingressFromV1($0, version: version) }
        }
        let segments = path.split(separator: "/").map(String.init)
        if segments.first == "api", segments.last == "endpoints", segments.count == 3 || (segments.count == 5 && segments[2] == "namespaces") {
            var inner = request
            inner.path = "/apis/discovery.k8s.io/v1/" + segments.dropFirst(2).dropLast().map { $0 + "/" }.joined() + "endpointslices"
            inner.headers.append((forwarded, "1"))
            return converted(router.handle(inner), listVersion: "v1", listKind: "EndpointsList", endpoints)
        }
        return nil
    }

    /// A JSON answer with its object (or each item of a list) converted.
    private static func converted(
        _ response: TestResponse, listVersion: String, listKind: String, _ convert: (ManifestValue) -> ManifestValue
    ) -> TestResponse {
        guard case .json(let status, let body) = response, (200..<300).contains(status), var value = try? JSONReader.read(body) else {
            return response
        }
        if case .list(let items)? = value["items"] {
            value.set("items", .list(items.map(convert)))
            value.set("kind", .string(listKind))
            value.set("apiVersion", .string(listVersion))
        } else {
            value = convert(value)
        }
        return .json(status: status, body: JSONEmitter.document(value))
    }

    // MARK: Conversions of the test server's own

    private static func ingressToV1(_ legacy: ManifestValue) -> ManifestValue {
        var value = legacy
        value.set("apiVersion", .string("networking.k8s.io/v1"))
        guard var spec = legacy["spec"] else { return value }
        if let backend = spec["backend"] {
            spec = removing("backend", from: spec)
            spec.set("defaultBackend", serviceBackend(backend))
        }
        spec = mappingPaths(spec) { path in
            var path = path
            if let backend = path["backend"] { path.set("backend", serviceBackend(backend)) }
            if path["pathType"] == nil { path.set("pathType", .string("ImplementationSpecific")) }
            return path
        }
        value.set("spec", spec)
        return value
    }

    private static func serviceBackend(_ legacy: ManifestValue) -> ManifestValue {
        guard let name = legacy["serviceName"] else { return legacy }
        let port: ManifestValue = switch legacy["servicePort"] {
        case .int(let number)?: .map([ManifestField("number", .int(number))])
        case .string(let text)?: .map([ManifestField("name", .string(text))])
        default: .map([])
        }
        return .map([ManifestField("service", .map([ManifestField("name", name), ManifestField("port", port)]))])
    }

    private static func ingressFromV1(_ stored: ManifestValue, version: String) -> ManifestValue {
        var value = stored
        if value["apiVersion"] != nil { value.set("apiVersion", .string(version)) }
        guard var spec = stored["spec"] else { return value }
        if let backend = spec["defaultBackend"] {
            spec = removing("defaultBackend", from: spec)
            spec.set("backend", legacyBackend(backend))
        }
        let keepsPathType = version != "extensions/v1beta1"
        spec = mappingPaths(spec) { path in
            var path = path
            if let backend = path["backend"] { path.set("backend", legacyBackend(backend)) }
            if !keepsPathType { path = removing("pathType", from: path) }
            return path
        }
        value.set("spec", spec)
        return value
    }

    private static func legacyBackend(_ v1: ManifestValue) -> ManifestValue {
        guard let service = v1["service"] else { return v1 }
        var fields = [ManifestField("serviceName", service["name"] ?? .string(""))]
        if let number = service["port"]?["number"] { fields.append(ManifestField("servicePort", number)) }
        if let name = service["port"]?["name"] { fields.append(ManifestField("servicePort", name)) }
        return .map(fields)
    }

    /// An EndpointSlice as the v1 Endpoints of its Service.
    private static func endpoints(_ slice: ManifestValue) -> ManifestValue {
        var ready: [ManifestValue] = []
        var notReady: [ManifestValue] = []
        if case .list(let endpoints)? = slice["endpoints"] {
            for endpoint in endpoints {
                guard case .list(let addresses)? = endpoint["addresses"] else { continue }
                let isReady = endpoint["conditions"]?["ready"] != .bool(false)
                for address in addresses {
                    let entry = ManifestValue.map([ManifestField("ip", address)])
                    if isReady { ready.append(entry) } else { notReady.append(entry) }
                }
            }
        }
        var subset: [ManifestField] = []
        if !ready.isEmpty { subset.append(ManifestField("addresses", .list(ready))) }
        if !notReady.isEmpty { subset.append(ManifestField("notReadyAddresses", .list(notReady))) }
        subset.append(ManifestField("ports", slice["ports"] ?? .list([])))
        let service = slice["metadata"]?["labels"]?["kubernetes.io/service-name"] ?? slice["metadata"]?["name"] ?? .string("")
        return .map([
            ManifestField("apiVersion", .string("v1")), ManifestField("kind", .string("Endpoints")),
            ManifestField("metadata", .map([
                ManifestField("name", service), ManifestField("namespace", slice["metadata"]?["namespace"] ?? .string("")),
                ManifestField("resourceVersion", slice["metadata"]?["resourceVersion"] ?? .string("1")),
            ])),
            ManifestField("subsets", .list([.map(subset)])),
        ])
    }

    private static func mappingPaths(_ spec: ManifestValue, _ change: (ManifestValue) -> ManifestValue) -> ManifestValue {
        guard case .list(let rules)? = spec["rules"] else { return spec }
        var spec = spec
        spec.set("rules", .list(rules.map { rule in
            guard var http = rule["http"], case .list(let paths)? = http["paths"] else { return rule }
            http.set("paths", .list(paths.map(change)))
            var rule = rule
            rule.set("http", http)
            return rule
        }))
        return spec
    }

    private static func removing(_ key: String, from value: ManifestValue) -> ManifestValue {
        guard case .map(let fields) = value else { return value }
        return .map(fields.filter { $0.key != key })
    }
}
