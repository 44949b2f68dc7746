/// An OpenELB `Eip` (`network.kubesphere.io/v1alpha2`): the pool LoadBalancer addresses
/// are taken from. With no pool, a LoadBalancer gateway stays Pending, as on a cluster
/// with no LB provider.
public struct AddressPool: Hashable, Sendable {
    public var metadata: ObjectMeta
    /// A single IP, a range `192.168.0.91-192.168.0.100`, or a CIDR `192.168.0.0/28`.
    public var address: String
    /// `layer2`, `bgp` or `vip`.
    public var `protocol`: String
    public var interface: String?
    public var disabled: Bool

    public init(
        metadata: ObjectMeta, address: String, protocol: String = "layer2", interface: String? = nil,
        disabled: Bool = false
    ) {
        self.metadata = metadata
        self.address = address
        self.protocol = `protocol`
        self.interface = interface
        self.disabled = disabled
    }

    public var name: String { metadata.name }
}
