/// Gives LoadBalancer gateways an address from an `Eip` pool, as OpenELB would: the pool
/// the Service's annotation `eip.openelb.kubesphere.io/v1alpha2` names, else the default
/// pool (`eip.openelb.kubesphere.io/is-default-eip: "true"`), else any enabled pool; the
/// lowest address no other Service holds. No pool, no address: the gateway stays Pending,
/// as on a cluster with no LoadBalancer provider.
public enum AddressPoolAssigner {
    public static let poolAnnotation = "eip.openelb.kubesphere.io/v1alpha2"
    public static let defaultPoolAnnotation = "eip.openelb.kubesphere.io/is-default-eip"

    public static func assign(to gateway: Gateway, inventory: Inventory) -> String? {
        let used = usedAddresses(inventory: inventory, except: gateway)
        for pool in candidatePools(for: gateway, in: inventory) {
            guard case .success(let range) = IPv4Range.parse(pool.address) else { continue }
            if let free = range.first(where: { !used.contains($0.description) }) { return free.description }
        }
        return nil
    }

    private static func candidatePools(for gateway: Gateway, in inventory: Inventory) -> [AddressPool] {
        let enabled = inventory.addressPools.filter { !$0.disabled }
        if let named = gateway.annotations[poolAnnotation] {
            return enabled.filter { $0.name == named }
        }
        let defaults = enabled.filter { $0.metadata.annotations[defaultPoolAnnotation] == "true" }
        return defaults + enabled.filter { $0.metadata.annotations[defaultPoolAnnotation] != "true" }
    }

    private static func usedAddresses(inventory: Inventory, except gateway: Gateway) -> Set<String> {
        var used = Set<String>()
        for service in inventory.services where !(service.namespace == gateway.namespace && service.name == gateway.name) {
            used.formUnion(service.loadBalancerIngress.compactMap(\.ip))
        }
        for other in inventory.gateways where other.project != gateway.project {
            used.formUnion(other.loadBalancerIngress.compactMap(\.ip))
        }
        return used
    }
}
