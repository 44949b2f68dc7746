import Foundation
import GatewayKit

/// What KubeSphere's controllers would do on a real cluster, played by a test step by
/// step (the test API server does not run them): the Helm release of a Gateway CR creates
/// the Service `kubesphere-router-<project>` with Helm's labels and ownership annotations
/// and node ports Kubernetes assigns (the chart sets none), as kubesphere/kubesphere
/// config/gateway renders it. Also the raw seeds of a KubeSphere-made cluster that
/// `TestCluster.seed` (typed objects only) cannot express.
enum KubeSphereControllerStandIn {
    /// Creates the Helm release's Service for the stored Gateway CR of `project`.
    @discardableResult
    static func releaseService(for project: String, in cluster: TestCluster, namespace: String = Gateway.defaultNamespace) throws
        -> ManifestValue
    {
        let name = Gateway.name(project: project)
        guard let cr = cluster.object(resource("Gateway"), namespace: namespace, name: name) else {
            throw TestCluster.SeedError(message: "no Gateway CR \(namespace)/\(name) for the Helm release to install")
        }
        var type = "NodePort"
        if case .string(let text)? = cr["spec"]?["service"]?["type"] { type = text }
        let labels = GatewayObjects.helmLabels(project: project)
        var service = raw([
            "apiVersion": "v1", "kind": "Service",
            "metadata": [
                "name": name, "namespace": namespace,
                "labels": labels,
                "annotations": ["meta.helm.sh/release-name": "\(name)-ingress", "meta.helm.sh/release-namespace": namespace],
            ],
            "spec": [
                "type": type,
                "selector": GatewayObjects.helmSelector(project: project),
                "ports": [
                    ["name": "http", "port": 80, "protocol": "TCP", "targetPort": "http"],
                    ["name": "https", "port": 443, "protocol": "TCP", "targetPort": "https"],
                ],
            ],
        ])
        if case .map(let annotations)? = cr["spec"]?["service"]?["annotations"] {
            for field in annotations { service.set(["metadata", "annotations", field.key], field.value) }
        }
        return try create(service, in: cluster)
    }

    /// Creates a raw object as another client would (POST semantics, the server's checks).
    @discardableResult
    static func create(_ object: ManifestValue, in cluster: TestCluster) throws -> ManifestValue {
        guard case .string(let kind)? = object["kind"], let resource = TestResource.of(kind: kind) else {
            throw TestCluster.SeedError(message: "no resource for \(object)")
        }
        var namespace = ""
        if case .string(let text)? = object["metadata"]?["namespace"] { namespace = text }
        // kgate parses only its own ConfigMap; the test server validates with kgate's parser.
        if kind == "ConfigMap" { return cluster.seedUnvalidated(resource, namespace: namespace, body: object) }
        switch cluster.createLocked(resource, namespace: namespace, body: object) {
        case .success(let stored): return stored
        case .failure(let status): throw TestCluster.SeedError(message: "\(kind): \(JSONEmitter.document(status.body))")
        }
    }

    /// A manifest tree from Swift literals (dictionaries keep the order their keys sort in).
    static func raw(_ value: Any) -> ManifestValue {
        switch value {
        case let text as String: return .string(text)
        case let flag as Bool: return .bool(flag)
        case let number as Int: return .int(number)
        case let list as [Any]: return .list(list.map(raw))
        case let map as [String: Any]: return .map(map.keys.sorted().map { ManifestField($0, raw(map[$0]!)) })
        default: return .null
        }
    }
}

extension ManifestValue {
    /// The value at nested keys, if every step is a map holding the key.
    subscript(path path: [String]) -> ManifestValue? {
        var current: ManifestValue? = self
        for key in path { current = current?[key] }
        return current
    }
}
