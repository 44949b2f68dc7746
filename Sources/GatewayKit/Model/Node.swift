/// A cluster node and the addresses a NodePort gateway is reachable on.
public struct Node: Hashable, Sendable {
    public var metadata: ObjectMeta
    public var addresses: [NodeAddress]

    public init(metadata: ObjectMeta, addresses: [NodeAddress]) {
        self.metadata = metadata
        self.addresses = addresses
    }

    public var name: String { metadata.name }

    /// Whether the node carries a control-plane role label (KubeSphere used masters only).
    public var isControlPlane: Bool {
        metadata.labels.keys.contains("node-role.kubernetes.io/control-plane")
            || metadata.labels.keys.contains("node-role.kubernetes.io/master")
    }
}

public struct NodeAddress: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        /// The public address; on QingCloud and most clouds, the EIP.
        case externalIP = "ExternalIP"
        case internalIP = "InternalIP"
        case hostname = "Hostname"
        case externalDNS = "ExternalDNS"
        case internalDNS = "InternalDNS"
    }

    public var kind: Kind
    public var address: String

    public init(_ kind: Kind, _ address: String) {
        self.kind = kind
        self.address = address
    }
}
