import GatewayKit

/// Set Gateway, delete and upgrade against a cluster, in whichever flavour it serves, the
/// way KubeSphere's own console and ks-apiserver do it (see KUBESPHERE.md, "Who owns what
/// on a cluster"):
///
/// - Gateway CRD (KubeSphere 3.2+): kgate writes only the Gateway CR. KubeSphere's Helm
///   controller turns it into an ingress-nginx release that owns the Service
///   `kubesphere-router-<project>` and the Deployment; kgate reads that Service (node
///   ports, addresses) and never creates, changes or deletes it. Node ports cannot be
///   chosen (the chart leaves them to Kubernetes; the CR has no such field).
/// - Legacy router (2.1–3.1): the Service and Deployment, changed only where KubeSphere's
///   router code changes them (see `LegacyRouter`).
///
/// A stored object is only ever patched (JSON merge patch of the fields the operator
/// changed, at the version read: a concurrent change is the server's 409), never
/// replaced, so that fields kgate does not model survive.
struct ClusterGateways: Sendable {
    let reader: ClusterReader
    let writer: ClusterWriter

    /// The change is decided by `GatewayPlanner` (the same merge, validation and stale-host
    /// check as the workspace's) after KubeSphere's own refusals (`GatewayRules`); this
    /// persists it and reads back what the cluster holds.
    func set(_ request: GatewayRequest) async throws(StoreError) -> GatewayChange {
        let inventory = try await reader.load()
        try GatewayRules.check(request, in: inventory)
        let planned = try GatewayPlanner.plan(request, in: inventory)
        let existing = inventory.gateway(project: request.project)
        let stored: Gateway
        switch inventory.settings.gatewayFlavor {
        case .gatewayCRD:
            stored = try await writeCR(planned.gateway, existing: existing)
        case .legacyRouter:
            stored = try await LegacyRouter(reader: reader, writer: writer).write(planned.gateway, existing: existing)
        }
        return GatewayChange(gateway: stored, staleHosts: GatewayPlanner.staleHosts(after: stored, in: inventory))
    }

    /// Creates the Gateway CR (POST), or patches the fields of it the operator changed.
    private func writeCR(_ gateway: Gateway, existing: Gateway?) async throws(StoreError) -> Gateway {
        let namespace = gateway.namespace
        let name = gateway.name
        let cr: ManifestValue
        if let existing {
            let patch = MergePatch.between(MergePatch.comparable(.gateway(existing)), MergePatch.comparable(.gateway(gateway)))
            cr = try await writer.patch(
                .gateways, patch ?? .map([]), resourceVersion: existing.resourceVersion, namespace: namespace, name: name)
        } else {
            cr = try await writer.create(.gateways, MergePatch.comparable(.gateway(gateway)), namespace: namespace, name: name)
        }
        return try await observed(decodeGateway(cr, reference: "Gateway \(namespace)/\(name)"))
    }

    /// The CR with what its Helm release's Service holds (node ports, addresses), or
    /// waiting for that Service while the controller has not made it.
    private func observed(_ cr: Gateway) async throws(StoreError) -> Gateway {
        let service = try await writer.get(.services, namespace: cr.namespace, name: cr.name)
        var objects: [KubeObject] = [
            .gateway(cr), .settings(WorkspaceSettings(gatewayNamespace: cr.namespace, gatewayFlavor: .gatewayCRD)),
        ]
        if let service { objects.append(.service(try decodeService(service, reference: "Service \(cr.namespace)/\(cr.name)"))) }
        return ClusterReader.assemble(objects: objects, problems: []).gateways.first ?? cr
    }

    /// KubeSphere 3.2+ deletes only the Gateway CR; its Helm release's uninstall removes
    /// the Service and Deployment (finalizer `uninstall-helm-release`). A legacy router
    /// (on either flavour) is its Service and Deployment.
    func delete(project: String) async throws(StoreError) {
        let inventory = try await reader.load()
        let namespace = inventory.settings.gatewayNamespace
        let name = Gateway.name(project: project)
        let gateway = inventory.gateway(project: project)
        if inventory.settings.gatewayFlavor == .gatewayCRD, gateway?.controllerState != .legacyNeedsUpgrade {
            guard try await writer.deleteIfPresent(.gateways, namespace: namespace, name: name) else {
                throw .notFound(object: "Gateway \(namespace)/\(name)")
            }
            return
        }
        var found = try await writer.deleteIfPresent(.deployments, namespace: namespace, name: name)
        found = try await writer.deleteIfPresent(.services, namespace: namespace, name: name) || found
        guard found else { throw .notFound(object: "Gateway \(namespace)/\(name)") }
    }

    /// What KubeSphere's "upgrade" does for a legacy router on a 3.2+ cluster
    /// (kubesphere/kubesphere v3.2 pkg/models/gateway/gateway.go, `UpgradeGateway`): the
    /// controller options are taken from ConfigMap `kubesphere-router-<project>-nginx`, the
    /// legacy Deployment is deleted (the chart's is not compatible with it), the Service is
    /// patched with Helm's ownership annotations so that the release adopts it (its node
    /// ports stay), and the Gateway CR is created with the same type, annotations, replicas,
    /// governance and resources; then the ConfigMap is deleted.
    func upgrade(project: String) async throws(StoreError) -> Gateway {
        let inventory = try await reader.load()
        let namespace = inventory.settings.gatewayNamespace
        let name = Gateway.name(project: project)
        let reference = "Gateway \(namespace)/\(name)"
        guard inventory.settings.gatewayFlavor == .gatewayCRD else {
            throw .invalid(object: reference, errors: [FieldError(
                "project", "the cluster does not serve the Gateway CRD (KubeSphere 3.2+): there is nothing to upgrade to")])
        }
        guard let legacy = inventory.gateway(project: project), legacy.controllerState == .legacyNeedsUpgrade else {
            throw .invalid(object: reference, errors: [FieldError(
                "project",
                "\(project) has no legacy gateway to upgrade (a Service \(namespace)/\(name) with labels app=kubesphere, "
                    + "component=ks-router and no Gateway CR)")])
        }
        var gateway = Gateway(
            project: project, namespace: namespace, type: legacy.type, annotations: legacy.annotations,
            governance: legacy.governance, replicas: legacy.replicas)
        let optionsName = "\(name)-nginx"
        let options = try await writer.get(.configMaps, namespace: namespace, name: optionsName)
        if case .map(let data)? = options?["data"] {
            gateway.config = Dictionary(data.compactMap { field in
                if case .string(let value) = field.value { return (field.key, value) }
                return nil
            }, uniquingKeysWith: { first, _ in first })
        }
        let deployment = try await writer.get(.deployments, namespace: namespace, name: name)
        if case .int(let replicas)? = deployment?[path: ["spec", "replicas"]] { gateway.replicas = replicas }
        var body = MergePatch.comparable(.gateway(gateway))
        if case .list(let containers)? = deployment?[path: ["spec", "template", "spec", "containers"]],
            let resources = containers.first?["resources"]
        {
            body.set(path: ["spec", "deployment", "resources"], resources)
        }
        let errors = Validate.gateway(gateway, nodePortRange: inventory.settings.nodePortRange)
        guard errors.isEmpty else { throw .invalid(object: reference, errors: errors) }

        _ = try await writer.deleteIfPresent(.deployments, namespace: namespace, name: name)
        if let service = try await writer.get(.services, namespace: namespace, name: name) {
            _ = try await writer.patch(
                .services, Self.helmAdoption(name: name, namespace: namespace),
                resourceVersion: ObjectCodec.resourceVersion(service), namespace: namespace, name: name)
        }
        let cr = try await writer.create(.gateways, body, namespace: namespace, name: name)
        if options != nil { _ = try await writer.deleteIfPresent(.configMaps, namespace: namespace, name: optionsName) }
        return try await observed(decodeGateway(cr, reference: reference))
    }

    /// KubeSphere's `helmPatch` (pkg/models/gateway/gateway.go): Helm's ownership
    /// annotations and labels on the legacy Service, the router's labels and selector
    /// removed (the chart renders its own).
    static func helmAdoption(name: String, namespace: String) -> ManifestValue {
        .map([
            ManifestField("metadata", .map([
                ManifestField("annotations", .map([
                    ManifestField("meta.helm.sh/release-name", .string("\(name)-ingress")),
                    ManifestField("meta.helm.sh/release-namespace", .string(namespace)),
                ])),
                ManifestField("labels", .map([
                    ManifestField("helm.sh/chart", .string("ingress-nginx-3.35.0")),
                    ManifestField("app.kubernetes.io/managed-by", .string("Helm")),
                    ManifestField("app", .null), ManifestField("component", .null), ManifestField("tier", .null),
                ])),
            ])),
            ManifestField("spec", .map([ManifestField("selector", .null)])),
        ])
    }

    func decodeGateway(_ value: ManifestValue, reference: String) throws(StoreError) -> Gateway {
        guard case .gateway(let gateway) = try ObjectCodec.decodeOrThrow(value, as: .gateways, reference: reference) else {
            throw .unavailable(reason: "\(reference): the server answered with another kind")
        }
        return gateway
    }

    func decodeService(_ value: ManifestValue, reference: String) throws(StoreError) -> BackendService {
        guard case .service(let service) = try ObjectCodec.decodeOrThrow(value, as: .services, reference: reference) else {
            throw .unavailable(reason: "\(reference): the server answered with another kind")
        }
        return service
    }
}
