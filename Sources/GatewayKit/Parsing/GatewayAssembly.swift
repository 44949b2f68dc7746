/// Puts a gateway back together from the objects it is stored as: the inverse of
/// `ManifestRenderer.gatewayObjects`.
extension GatewayObjects {
    /// A legacy router gateway from its Service and Deployment (both
    /// `kubesphere-router-<project>`): type, ports, LoadBalancer annotations (without the
    /// governance key), addresses and resourceVersion from the Service; replicas and
    /// governance from the Service's governance annotation (else from the Deployment).
    /// Nil when the Service is not a router Service or its type is neither NodePort nor
    /// LoadBalancer. The legacy flavour keeps no controller config (it lived in a ConfigMap
    /// kgate does not store), so `config` is empty.
    public static func legacyGateway(service: BackendService, deployment: RouterDeployment?) -> Gateway? {
        let prefix = ObjectParsing.routerPrefix
        guard service.name.hasPrefix(prefix), service.name.count > prefix.count,
            let type = GatewayType(exactly: service.type)
        else { return nil }
        var annotations = service.metadata.annotations
        // The Service's annotation first, as KubeSphere's router code reads it.
        let serviceGovernance = annotations.removeValue(forKey: KubeSphereAnnotation.governance).map { $0 == "true" }
        let ports = service.ports.map { GatewayPort(name: $0.name ?? "", port: $0.port, nodePort: $0.nodePort) }
        return Gateway(
            project: String(service.name.dropFirst(prefix.count)), namespace: service.namespace, type: type,
            ports: ports, annotations: annotations, governance: serviceGovernance ?? deployment?.governance ?? false,
            replicas: deployment?.replicas ?? 1, loadBalancerIngress: service.loadBalancerIngress,
            externalIPs: service.externalIPs, resourceVersion: service.metadata.resourceVersion,
            creationTimestamp: service.metadata.creationTimestamp)
    }

    /// A Gateway CR brought up to date with its Service, which holds what the cluster
    /// assigned: node ports, LoadBalancer addresses, external IPs.
    public static func gateway(_ gateway: Gateway, observing service: BackendService) -> Gateway {
        var result = gateway
        if !service.ports.isEmpty {
            result.ports = service.ports.map { GatewayPort(name: $0.name ?? "", port: $0.port, nodePort: $0.nodePort) }
        }
        result.loadBalancerIngress = service.loadBalancerIngress
        result.externalIPs = service.externalIPs
        return result
    }
}
