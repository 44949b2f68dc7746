/// A Service: a route's backend, or the gateway's own Service.
public struct BackendService: Hashable, Sendable {
    public var metadata: ObjectMeta
    /// `ClusterIP`, `NodePort`, `LoadBalancer` or `ExternalName`.
    public var type: String
    public var ports: [ServicePort]
    public var selector: [String: String]
    public var clusterIP: String?
    public var externalIPs: [String]
    /// `status.loadBalancer.ingress`: what the LB provider assigned.
    public var loadBalancerIngress: [LoadBalancerIngress]
    /// The Service as it was read: what a save keeps of the fields kgate does not model.
    public var stored = StoredManifest()

    public init(
        metadata: ObjectMeta, type: String = "ClusterIP", ports: [ServicePort],
        selector: [String: String] = [:], clusterIP: String? = nil, externalIPs: [String] = [],
        loadBalancerIngress: [LoadBalancerIngress] = []
    ) {
        self.metadata = metadata
        self.type = type
        self.ports = ports
        self.selector = selector
        self.clusterIP = clusterIP
        self.externalIPs = externalIPs
        self.loadBalancerIngress = loadBalancerIngress
    }

    public var name: String { metadata.name }
    public var namespace: String { metadata.namespace }
}

public struct ServicePort: Hashable, Sendable {
    public var name: String?
    public var port: Int
    /// A number or a named container port.
    public var targetPort: String?
    public var `protocol`: String
    public var nodePort: Int?

    public init(
        name: String? = nil, port: Int, targetPort: String? = nil, protocol: String = "TCP",
        nodePort: Int? = nil
    ) {
        self.name = name
        self.port = port
        self.targetPort = targetPort
        self.protocol = `protocol`
        self.nodePort = nodePort
    }
}

/// One entry of `status.loadBalancer.ingress`: an IP or a hostname (an ELB).
public struct LoadBalancerIngress: Hashable, Sendable {
    public var ip: String?
    public var hostname: String?

    public init(ip: String? = nil, hostname: String? = nil) {
        self.ip = ip
        self.hostname = hostname
    }

    public var address: String? { ip ?? hostname }
}
