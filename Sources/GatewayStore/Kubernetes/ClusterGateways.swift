import GatewayKit

/// Set Gateway and delete against a cluster, in whichever flavour it serves.
///
/// Unlike the workspace, kgate does not pick node ports here: the API server allocates
/// them, as it does for any NodePort or LoadBalancer Service. kgate sends a node port only
/// when the operator asked for one, or to keep the one the Service already holds, and
/// reads back what the server assigned. A LoadBalancer address comes from the cluster's
/// LB provider, never from kgate.
///
/// The gateway's objects are those a workspace stores (`ManifestRenderer.gatewayObjects`):
/// the Gateway CR and its Service, or the legacy Service and Deployment. The primary
/// object (the CR, or the legacy Service) is written first, at the version the operator
/// edited, so that a concurrent change is refused before anything else is touched.
struct ClusterGateways: Sendable {
    let reader: ClusterReader
    let writer: ClusterWriter

    /// The change is decided by `GatewayPlanner` (the same merge, validation and stale-host
    /// check as the workspace's); this only persists it and reads back what the server set.
    func set(_ request: GatewayRequest) async throws(StoreError) -> GatewayChange {
        let inventory = try await reader.load()
        let planned = try GatewayPlanner.plan(request, in: inventory)
        let existing = inventory.gateway(project: request.project)
        let stored = try await write(planned.gateway, flavor: inventory.settings.gatewayFlavor, existing: existing)
        return GatewayChange(gateway: stored, staleHosts: GatewayPlanner.staleHosts(after: stored, in: inventory))
    }

    private func write(_ gateway: Gateway, flavor: GatewayFlavor, existing: Gateway?) async throws(StoreError) -> Gateway {
        let namespace = gateway.namespace
        let name = gateway.name
        switch flavor {
        case .gatewayCRD:
            var crd = ObjectCodec.encode(.gateway(gateway))
            let cr: ManifestValue
            if let version = existing?.resourceVersion {
                crd.set(path: ["metadata", "resourceVersion"], .string(version))
                cr = try await writer.replace(.gateways, crd, namespace: namespace, name: name)
            } else {
                cr = try await writer.create(.gateways, crd, namespace: namespace, name: name)
            }
            let service = try await writeService(gateway, flavor: flavor, primaryVersion: nil)
            var stored = try decodeGateway(cr, reference: "Gateway \(namespace)/\(name)")
            let assigned = try decodeService(service, reference: "Service \(namespace)/\(name)")
            stored = mirror(assigned, into: stored)
            // Mirror the assigned ports into the CR's status, as KubeSphere's controller does;
            // where the CRD has a status subresource the server ignores it, and a load reads
            // the Service anyway.
            if stored.ports != (try? decodeGateway(cr, reference: "").ports) {
                var updated = ObjectCodec.encode(.gateway(stored))
                if let version = ObjectCodec.resourceVersion(cr) { updated.set(path: ["metadata", "resourceVersion"], .string(version)) }
                let rewritten = try await writer.replace(.gateways, updated, namespace: namespace, name: name)
                stored = mirror(assigned, into: try decodeGateway(rewritten, reference: "Gateway \(namespace)/\(name)"))
            }
            return stored
        case .legacyRouter:
            let service = try await writeService(gateway, flavor: flavor, primaryVersion: existing?.resourceVersion ?? "")
            let deployment = ObjectCodec.encode(.routerDeployment(GatewayObjects.deployment(gateway)))
            _ = try await writer.upsert(.deployments, deployment, namespace: namespace, name: name)
            let assigned = try decodeService(service, reference: "Service \(namespace)/\(name)")
            var stored = mirror(assigned, into: gateway)
            stored.resourceVersion = assigned.metadata.resourceVersion
            stored.creationTimestamp = assigned.metadata.creationTimestamp
            return stored
        }
    }

    /// Writes the gateway's Service. A stored one is read, modified and replaced, keeping
    /// what the server owns (its cluster IPs); `primaryVersion` is the version to write at
    /// when the Service is the gateway's primary object ("" for one not stored yet).
    private func writeService(_ gateway: Gateway, flavor: GatewayFlavor, primaryVersion: String?) async throws(StoreError)
        -> ManifestValue
    {
        var rendered = GatewayObjects.service(gateway, flavor: flavor)
        rendered.metadata.resourceVersion = nil
        rendered.loadBalancerIngress = []  // status is the LB provider's to write
        var body = ObjectCodec.encode(.service(rendered))
        body.remove(path: ["status"])
        let namespace = gateway.namespace
        let name = gateway.name
        guard let stored = try await writer.get(.services, namespace: namespace, name: name) else {
            if let primaryVersion, !primaryVersion.isEmpty {
                throw .conflict(object: "Service \(namespace)/\(name)", reason: "the gateway was deleted since it was read")
            }
            return try await writer.create(.services, body, namespace: namespace, name: name)
        }
        for key in ["clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"] {
            if let value = stored["spec"]?[key] { body.set(path: ["spec", key], value) }
        }
        let version = (primaryVersion?.isEmpty == false ? primaryVersion : nil) ?? ObjectCodec.resourceVersion(stored)
        if let version { body.set(path: ["metadata", "resourceVersion"], .string(version)) }
        return try await writer.replace(.services, body, namespace: namespace, name: name)
    }

    func delete(project: String) async throws(StoreError) {
        let settings = try await reader.readSettings()
        let discovery = try await reader.discover()
        let namespace = settings.gatewayNamespace
        let name = Gateway.name(project: project)
        var found = false
        if discovery.flavor == .gatewayCRD {
            found = try await writer.deleteIfPresent(.gateways, namespace: namespace, name: name) || found
        }
        found = try await writer.deleteIfPresent(.services, namespace: namespace, name: name) || found
        if discovery.flavor == .legacyRouter {
            found = try await writer.deleteIfPresent(.deployments, namespace: namespace, name: name) || found
        }
        guard found else { throw .notFound(object: "Gateway \(namespace)/\(name)") }
    }

    /// The gateway with the node ports and addresses its Service holds.
    private func mirror(_ service: BackendService, into gateway: Gateway) -> Gateway {
        ClusterReader.assemble(
            objects: [.gateway(gateway), .service(service), .settings(WorkspaceSettings(gatewayNamespace: gateway.namespace))],
            problems: []
        ).gateways.first ?? gateway
    }

    private func decodeGateway(_ value: ManifestValue, reference: String) throws(StoreError) -> Gateway {
        guard case .gateway(let gateway) = try ObjectCodec.decodeOrThrow(value, as: .gateways, reference: reference) else {
            throw .unavailable(reason: "\(reference): the server answered with another kind")
        }
        return gateway
    }

    private func decodeService(_ value: ManifestValue, reference: String) throws(StoreError) -> BackendService {
        guard case .service(let service) = try ObjectCodec.decodeOrThrow(value, as: .services, reference: reference) else {
            throw .unavailable(reason: "\(reference): the server answered with another kind")
        }
        return service
    }
}
