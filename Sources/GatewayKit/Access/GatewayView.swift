/// What the operator reads about a project's gateway: the gateway card, the detail
/// screen and `kgate gateway show -o json` are all this value.
public struct GatewayView: Hashable, Sendable {
    public var project: String
    public var type: GatewayType
    public var status: GatewayStatus
    /// Every address the gateway answers on, external ones first, each with its kind.
    public var addresses: [GatewayAddress]
    public var ports: [GatewayPort]
    /// `http://139.198.0.20:30798`, `https://139.198.0.20:31279`, one pair an address.
    public var urls: [String]
    public var governance: Bool
    /// The Service annotations, less the governance key (it is shown on its own).
    public var annotations: [String: String]
    public var replicas: Int
    public var config: [String: String]
    /// The IngressClass it serves (besides routes with no class).
    public var ingressClass: String

    public init(gateway: Gateway, nodes: [Node]) {
        ingressClass = IngressClass.served(by: gateway)
        project = gateway.project
        type = gateway.type
        ports = gateway.ports
        governance = gateway.governance
        annotations = gateway.annotations.filter { $0.key != KubeSphereAnnotation.governance }
        replicas = gateway.replicas
        config = gateway.config
        addresses = GatewayAddress.all(gateway: gateway, nodes: nodes)
        status = GatewayStatus.of(gateway: gateway, addresses: addresses)
        urls = status == .ready ? GatewayView.urls(type: gateway.type, addresses: addresses, ports: gateway.ports) : []
    }

    /// The address auto-generated hosts are built on, and the first one shown.
    public var primaryAddress: GatewayAddress? { addresses.first }

    /// `http:30798; https:31279`, as KubeSphere's card writes node ports; `-` when unassigned.
    public var nodePortSummary: String {
        let parts = ports.compactMap { p in p.nodePort.map { "\(p.name):\($0)" } }
        return parts.isEmpty ? "-" : parts.joined(separator: "; ")
    }

    /// Node host names and internal DNS names are listed as addresses but make no URL: they
    /// rarely resolve from where the operator's users are.
    static func urls(type: GatewayType, addresses: [GatewayAddress], ports: [GatewayPort]) -> [String] {
        addresses.filter { $0.kind != .hostname && $0.kind != .internalDNS }.flatMap { address -> [String] in
            ports.compactMap { port -> String? in
                guard let scheme = AccessURL.scheme(portName: port.name) else { return nil }
                let exposed = type == .nodePort ? port.nodePort : port.port
                guard let exposed else { return nil }
                return AccessURL.format(scheme: scheme, host: address.hostForURL, port: exposed)
            }
        }
    }
}

/// Ready, Pending, Failed (KubeSphere's Helm release said so) or Legacy (a 2.1–3.1 router
/// to upgrade), with the reason an operator needs to act on.
public enum GatewayStatus: Hashable, Sendable {
    case ready
    case pending(reason: String)
    case failed(reason: String)
    case legacy(reason: String)

    public var name: String {
        switch self {
        case .ready: "Ready"
        case .pending: "Pending"
        case .failed: "Failed"
        case .legacy: "Legacy"
        }
    }

    public var reason: String? {
        switch self {
        case .ready: nil
        case .pending(let reason), .failed(let reason), .legacy(let reason): reason
        }
    }

    /// What `reason` says while the Gateway CR waits for the Service of its Helm release.
    public static let waitingForService = "waiting for the gateway's Service"

    static func of(gateway: Gateway, addresses: [GatewayAddress]) -> GatewayStatus {
        switch gateway.controllerState {
        case .failed(let reason)?: return .failed(reason: reason)
        case .waitingForService?: return .pending(reason: waitingForService)
        case .legacyNeedsUpgrade?:
            return .legacy(reason:
                "legacy gateway — upgrade: a KubeSphere 2.1–3.1 router on a cluster that serves Gateway CRs; "
                    + "`kgate gateway upgrade \(gateway.project)` (or U on the card) turns it into a Gateway CR with the same settings")
        case nil: break
        }
        switch gateway.type {
        case .nodePort:
            if gateway.ports.contains(where: { $0.nodePort == nil }) {
                return .pending(reason: "node ports are not assigned yet")
            }
            if addresses.isEmpty {
                return .pending(reason: "no node has an address")
            }
        case .loadBalancer:
            if addresses.isEmpty {
                return .pending(
                    reason: "no LoadBalancer address assigned yet: the cluster needs a LoadBalancer provider or an address pool (Eip)"
                )
            }
        }
        return .ready
    }
}

/// One address a gateway answers on.
public struct GatewayAddress: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        case externalIP = "ExternalIP"
        case externalDNS = "ExternalDNS"
        case internalIP = "InternalIP"
        case internalDNS = "InternalDNS"
        case hostname = "Hostname"
        case loadBalancerIP = "LoadBalancerIP"
        case loadBalancerHostname = "LoadBalancerHostname"
        /// `spec.externalIPs` of the gateway's Service.
        case serviceExternalIP = "ServiceExternalIP"
    }

    public var address: String
    public var kind: Kind
    /// The node that has this address, for NodePort gateways.
    public var node: String?

    public init(address: String, kind: Kind, node: String? = nil) {
        self.address = address
        self.kind = kind
        self.node = node
    }

    /// Whether the address is a DNS name rather than an IP.
    public var isHostname: Bool {
        switch kind {
        case .externalDNS, .internalDNS, .hostname, .loadBalancerHostname: true
        default: false
        }
    }

    /// The address as it stands in a URL: IPv6 in brackets.
    public var hostForURL: String { address.contains(":") ? "[\(address)]" : address }

    /// Every address of a gateway. NodePort: every node's, ExternalIP (the EIP) first, then
    /// internal ones, then names (KubeSphere showed one master's InternalIP: kubesphere#2946).
    /// LoadBalancer: what the provider assigned, else the Service's externalIPs.
    public static func all(gateway: Gateway, nodes: [Node]) -> [GatewayAddress] {
        switch gateway.type {
        case .nodePort:
            let rank: [NodeAddress.Kind: Int] = [
                .externalIP: 0, .externalDNS: 1, .internalIP: 2, .internalDNS: 3, .hostname: 4,
            ]
            var seen = Set<String>()
            return nodes.sorted { $0.name < $1.name }
                .flatMap { node in node.addresses.map { (node.name, $0) } }
                .enumerated()
                .sorted { a, b in
                    let ra = rank[a.element.1.kind] ?? 9
                    let rb = rank[b.element.1.kind] ?? 9
                    return ra != rb ? ra < rb : a.offset < b.offset
                }
                .compactMap { _, pair in
                    let (node, address) = pair
                    guard !address.address.isEmpty, seen.insert(address.address).inserted else { return nil }
                    return GatewayAddress(
                        address: address.address, kind: Kind(rawValue: address.kind.rawValue) ?? .hostname,
                        node: node)
                }
        case .loadBalancer:
            let assigned = gateway.loadBalancerIngress.compactMap { ingress -> GatewayAddress? in
                if let ip = ingress.ip, !ip.isEmpty { return GatewayAddress(address: ip, kind: .loadBalancerIP) }
                if let host = ingress.hostname, !host.isEmpty {
                    return GatewayAddress(address: host, kind: .loadBalancerHostname)
                }
                return nil
            }
            if !assigned.isEmpty { return assigned }
            return gateway.externalIPs.map { GatewayAddress(address: $0, kind: .serviceExternalIP) }
        }
    }
}
