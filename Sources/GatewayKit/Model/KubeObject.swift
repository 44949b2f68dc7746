/// Every kind of object kgate reads and writes, one case a kind.
///
/// Every case is boxed: a workspace keeps its objects in several tables (by key, by file),
/// where a pointer a value costs far less than the largest payload (a route, 184 bytes)
/// inline in every slot: 100,000 routes peaked at 352 MB unboxed.
public indirect enum KubeObject: Hashable, Sendable {
    case project(Project)
    case node(Node)
    case service(BackendService)
    case endpoints(BackendEndpoints)
    case secret(TLSSecret)
    case route(Route)
    case gateway(Gateway)
    /// The legacy router's Deployment; with its Service it makes a legacy gateway.
    case routerDeployment(RouterDeployment)
    case addressPool(AddressPool)
    case settings(WorkspaceSettings)
    /// A Gateway API Gateway, HTTPRoute or ReferenceGrant, stored whole.
    case gatewayAPI(GatewayAPIObject)

    /// The object's `kind`, as in its manifest.
    public var kind: String {
        switch self {
        case .project: "Namespace"
        case .node: "Node"
        case .service: "Service"
        case .endpoints: "EndpointSlice"
        case .secret: "Secret"
        case .route: "Ingress"
        case .gateway: "Gateway"
        case .routerDeployment: "Deployment"
        case .addressPool: "Eip"
        case .settings: "ConfigMap"
        case .gatewayAPI(let o): o.kind.rawValue
        }
    }

    public var name: String {
        switch self {
        case .project(let o): o.metadata.name
        case .node(let o): o.metadata.name
        case .service(let o): o.metadata.name
        case .endpoints(let o): o.metadata.name
        case .secret(let o): o.metadata.name
        case .route(let o): o.metadata.name
        case .gateway(let o): o.name
        case .routerDeployment(let o): o.name
        case .addressPool(let o): o.metadata.name
        case .settings: WorkspaceSettings.configMapName
        case .gatewayAPI(let o): o.metadata.name
        }
    }

    /// Empty for cluster-scoped kinds.
    public var namespace: String {
        switch self {
        case .project, .node, .addressPool: ""
        case .service(let o): o.metadata.namespace
        case .endpoints(let o): o.metadata.namespace
        case .secret(let o): o.metadata.namespace
        case .route(let o): o.metadata.namespace
        case .gateway(let o): o.namespace
        case .routerDeployment(let o): o.namespace
        case .settings(let o): o.gatewayNamespace
        case .gatewayAPI(let o): o.metadata.namespace
        }
    }

    public var resourceVersion: String? {
        get {
            switch self {
            case .project(let o): o.metadata.resourceVersion
            case .node(let o): o.metadata.resourceVersion
            case .service(let o): o.metadata.resourceVersion
            case .endpoints(let o): o.metadata.resourceVersion
            case .secret(let o): o.metadata.resourceVersion
            case .route(let o): o.metadata.resourceVersion
            case .gateway(let o): o.resourceVersion
            case .routerDeployment(let o): o.resourceVersion
            case .addressPool(let o): o.metadata.resourceVersion
            case .settings: nil
            case .gatewayAPI(let o): o.metadata.resourceVersion
            }
        }
        set {
            switch self {
            case .project(var o): o.metadata.resourceVersion = newValue; self = .project(o)
            case .node(var o): o.metadata.resourceVersion = newValue; self = .node(o)
            case .service(var o): o.metadata.resourceVersion = newValue; self = .service(o)
            case .endpoints(var o): o.metadata.resourceVersion = newValue; self = .endpoints(o)
            case .secret(var o): o.metadata.resourceVersion = newValue; self = .secret(o)
            case .route(var o): o.metadata.resourceVersion = newValue; self = .route(o)
            case .gateway(var o): o.resourceVersion = newValue; self = .gateway(o)
            case .routerDeployment(var o): o.resourceVersion = newValue; self = .routerDeployment(o)
            case .addressPool(var o): o.metadata.resourceVersion = newValue; self = .addressPool(o)
            case .settings: break
            case .gatewayAPI(var o): o.metadata.resourceVersion = newValue; self = .gatewayAPI(o)
            }
        }
    }

    /// What a store keys and names files by: the kind, except that a Gateway API
    /// Gateway is kept apart from KubeSphere's `Gateway`.
    public var storageKind: String {
        if case .gatewayAPI(let o) = self { return o.storageKind }
        return kind
    }

    /// `Ingress demo/web`, `Node node1`: how messages name an object.
    public var reference: String {
        if case .gatewayAPI(let o) = self { return o.reference }
        return namespace.isEmpty ? "\(kind) \(name)" : "\(kind) \(namespace)/\(name)"
    }
}

extension KubeObject {
    /// `objects` in the order a store applies them, as `kubectl apply` of a folder would
    /// need: settings, then namespaces, then nodes and address pools, then what lives in a
    /// namespace; the given order otherwise.
    public static func inApplyOrder(_ objects: [KubeObject]) -> [KubeObject] {
        objects.enumerated().sorted { a, b in
            (a.element.applyRank, a.offset) < (b.element.applyRank, b.offset)
        }.map(\.element)
    }

    private var applyRank: Int {
        switch self {
        case .settings: 0
        case .project: 1
        case .node, .addressPool: 2
        case .service, .endpoints, .secret: 3
        default: 4
        }
    }
}

/// The legacy router's Deployment `kubesphere-router-<project>`: replicas and governance.
public struct RouterDeployment: Hashable, Sendable {
    public var project: String
    public var namespace: String
    public var replicas: Int
    public var governance: Bool
    public var resourceVersion: String?

    public init(
        project: String, namespace: String = Gateway.defaultNamespace, replicas: Int = 1,
        governance: Bool = false, resourceVersion: String? = nil
    ) {
        self.project = project
        self.namespace = namespace
        self.replicas = replicas
        self.governance = governance
        self.resourceVersion = resourceVersion
    }

    public var name: String { Gateway.name(project: project) }
}
