/// Turns an operator's `GatewayRequest` into the gateway to store, as the cluster would:
/// node ports allocated (kept when already held, explicit ones honoured or refused),
/// a LoadBalancer address taken from an address pool when there is one, and the routes
/// whose auto-generated hosts the change made stale.
///
/// Pure: a store calls it under its write lock with the inventory it has just read.
public enum GatewayPlanner {
    public static func plan(
        _ request: GatewayRequest, in inventory: Inventory,
        using generator: inout some RandomNumberGenerator
    ) throws(StoreError) -> GatewayChange {
        let reference = "Gateway \(inventory.settings.gatewayNamespace)/\(Gateway.name(project: request.project))"
        guard inventory.project(request.project) != nil else {
            throw .notFound(object: "Namespace \(request.project)")
        }
        let existing = inventory.gateway(project: request.project)
        if let expected = request.expectedResourceVersion, expected != existing?.resourceVersion {
            throw .conflict(
                object: reference,
                reason: existing == nil
                    ? "the gateway was deleted since it was read"
                    : "the gateway was changed since it was read (resourceVersion \(expected), now \(existing?.resourceVersion ?? "-"))"
            )
        }

        var gateway = existing ?? Gateway(project: request.project, namespace: inventory.settings.gatewayNamespace)
        gateway.type = request.type
        if let annotations = request.annotations { gateway.annotations = annotations }
        if let governance = request.governance { gateway.governance = governance }
        if let replicas = request.replicas { gateway.replicas = replicas }
        if let config = request.config { gateway.config = config }

        gateway.ports = try allocatePorts(request, gateway: gateway, inventory: inventory, using: &generator)
        gateway.loadBalancerIngress = loadBalancerAddresses(for: gateway, previous: existing, inventory: inventory)

        let errors = Validate.gateway(gateway, nodePortRange: inventory.settings.nodePortRange)
        guard errors.isEmpty else { throw .invalid(object: reference, errors: errors) }

        let view = GatewayView(gateway: gateway, nodes: inventory.nodes)
        let stale = AutoDomain.staleHosts(
            routes: inventory.routes(project: request.project), project: request.project, gateway: view,
            base: inventory.settings.autoDomainBase)
        return GatewayChange(gateway: gateway, staleHosts: stale)
    }

    /// Both ports get a node port, whatever the type: Kubernetes allocates them for
    /// LoadBalancer Services too, and keeping them makes a switch back to NodePort keep
    /// its URLs.
    private static func allocatePorts(
        _ request: GatewayRequest, gateway: Gateway, inventory: Inventory,
        using generator: inout some RandomNumberGenerator
    ) throws(StoreError) -> [GatewayPort] {
        var allocator = NodePortAllocator(inventory: inventory, excludingGatewayOf: request.project)
        let owner = "Service \(gateway.namespace)/\(gateway.name)"
        func explicit(_ name: String) -> Int? {
            switch name {
            case "http": request.httpNodePort
            case "https": request.httpsNodePort
            default: nil
            }
        }
        var ports = gateway.ports
        var errors: [FieldError] = []
        // Explicit and kept ports first, so that a dynamic pick never takes one of them.
        for (index, port) in ports.enumerated() {
            guard let wanted = explicit(port.name) ?? port.nodePort else { continue }
            do {
                try allocator.claim(wanted, owner: owner)
                ports[index].nodePort = wanted
            } catch {
                if explicit(port.name) != nil {
                    errors.append(FieldError(FieldPath("spec.ports").index(index).child("nodePort"), error.description))
                } else {
                    ports[index].nodePort = nil  // a kept port now taken elsewhere: pick anew
                }
            }
        }
        for (index, port) in ports.enumerated() where port.nodePort == nil && errors.isEmpty {
            do {
                ports[index].nodePort = try allocator.allocate(owner: owner, using: &generator)
            } catch {
                errors.append(FieldError(FieldPath("spec.ports").index(index).child("nodePort"), error.description))
            }
        }
        guard errors.isEmpty else {
            throw .invalid(object: "Service \(gateway.namespace)/\(gateway.name)", errors: errors)
        }
        return ports
    }

    private static func loadBalancerAddresses(
        for gateway: Gateway, previous: Gateway?, inventory: Inventory
    ) -> [LoadBalancerIngress] {
        guard gateway.type == .loadBalancer else { return [] }
        if let previous, previous.type == .loadBalancer, !previous.loadBalancerIngress.isEmpty {
            return previous.loadBalancerIngress
        }
        return AddressPoolAssigner.assign(to: gateway, inventory: inventory).map { [LoadBalancerIngress(ip: $0)] } ?? []
    }
}
