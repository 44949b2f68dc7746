/// A project's gateway: an Nginx Ingress Controller, exposed as NodePort or LoadBalancer.
///
/// It is stored as a `gateway.kubesphere.io/v1alpha1` Gateway (KubeSphere 3.2+) or as the
/// legacy router Service + Deployment, both named `kubesphere-router-<project>` in the
/// gateway namespace (`kubesphere-controls-system`). `ports` and `loadBalancerIngress`
/// are what the cluster assigned; the rest is what the operator set.
public struct Gateway: Hashable, Sendable {
    public var project: String
    public var namespace: String
    public var type: GatewayType
    /// The two ports, `http` 80 and `https` 443, with their node ports once assigned.
    public var ports: [GatewayPort]
    /// Service annotations: the LoadBalancer provider's settings.
    public var annotations: [String: String]
    /// Application governance (tracing through the service mesh).
    public var governance: Bool
    public var replicas: Int
    /// ingress-nginx ConfigMap options (`spec.controller.config`).
    public var config: [String: String]
    public var loadBalancerIngress: [LoadBalancerIngress]
    public var externalIPs: [String]
    public var resourceVersion: String?
    public var creationTimestamp: String?
    /// The Gateway CR and the gateway's Service as they were read: what a save keeps of
    /// the fields kgate does not model.
    public var stored = StoredManifest()
    public var storedService = StoredManifest()
    /// The IngressClass its controller serves (Helm value
    /// `controller.ingressClassResource.name`); nil is the chart's default, `nginx`.
    public var ingressClass: String? = nil
    /// What KubeSphere's controllers report about the gateway on a cluster (nil in a
    /// workspace, and on a cluster where nothing is amiss).
    public var controllerState: GatewayControllerState? = nil

    public init(
        project: String, namespace: String = Gateway.defaultNamespace, type: GatewayType = .nodePort,
        ports: [GatewayPort] = GatewayPort.defaults, annotations: [String: String] = [:],
        governance: Bool = false, replicas: Int = 1, config: [String: String] = [:],
        loadBalancerIngress: [LoadBalancerIngress] = [], externalIPs: [String] = [],
        resourceVersion: String? = nil, creationTimestamp: String? = nil
    ) {
        self.project = project
        self.namespace = namespace
        self.type = type
        self.ports = ports
        self.annotations = annotations
        self.governance = governance
        self.replicas = replicas
        self.config = config
        self.loadBalancerIngress = loadBalancerIngress
        self.externalIPs = externalIPs
        self.resourceVersion = resourceVersion
        self.creationTimestamp = creationTimestamp
    }

    public static let defaultNamespace = "kubesphere-controls-system"

    /// `kubesphere-router-<project>`: the name of every object of the gateway.
    public var name: String { Gateway.name(project: project) }
    public static func name(project: String) -> String { "kubesphere-router-\(project)" }

    public var httpNodePort: Int? { port(named: "http")?.nodePort }
    public var httpsNodePort: Int? { port(named: "https")?.nodePort }

    public func port(named name: String) -> GatewayPort? { ports.first { $0.name == name } }

    /// `kubesphere-system`: the project of the cluster gateway `kubesphere-router-kubesphere-system`,
    /// which serves every project; KubeSphere refuses project gateways while it exists.
    public static let clusterGatewayProject = "kubesphere-system"
}

/// A gateway's state as KubeSphere's controllers report it on a cluster.
public enum GatewayControllerState: Hashable, Sendable {
    /// The Gateway CR is stored; its Helm release has not made the Service yet.
    case waitingForService
    /// The Helm release failed: the condition's message (`status.conditions`).
    case failed(reason: String)
    /// A KubeSphere 2.1–3.1 router (Service + Deployment) on a cluster that serves the
    /// Gateway CRD: KubeSphere offers to upgrade it to a Gateway CR.
    case legacyNeedsUpgrade
}

public enum GatewayType: String, Hashable, Sendable, CaseIterable {
    case nodePort = "NodePort"
    case loadBalancer = "LoadBalancer"

    /// Parses exactly `NodePort` or `LoadBalancer`. KubeSphere turned anything else into
    /// NodePort silently; kgate refuses it.
    public init?(exactly text: String) { self.init(rawValue: text) }
}

public struct GatewayPort: Hashable, Sendable {
    public var name: String
    public var port: Int
    public var nodePort: Int?

    public init(name: String, port: Int, nodePort: Int? = nil) {
        self.name = name
        self.port = port
        self.nodePort = nodePort
    }

    public static let defaults = [GatewayPort(name: "http", port: 80), GatewayPort(name: "https", port: 443)]
}

/// The two ways KubeSphere has stored a gateway.
public enum GatewayFlavor: String, Hashable, Sendable, CaseIterable {
    /// `gateway.kubesphere.io/v1alpha1` Gateway (KubeSphere 3.2+).
    case gatewayCRD = "Gateway"
    /// Service + Deployment `kubesphere-router-<project>` (KubeSphere 2.1–3.1).
    case legacyRouter = "Router"
}
