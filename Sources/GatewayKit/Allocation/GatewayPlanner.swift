/// Turns an operator's `GatewayRequest` into the gateway to store, as the cluster would:
/// node ports allocated (kept when already held, explicit ones honoured or refused),
/// a LoadBalancer address taken from an address pool when there is one, and the routes
/// whose auto-generated hosts the change made stale.
///
/// Pure: a store calls it under its write lock with the inventory it has just read.
public enum GatewayPlanner {
    /// The change for a store that assigns node ports and LoadBalancer addresses itself,
    /// as the API server and an LB provider would (the workspace).
    public static func plan(
        _ request: GatewayRequest, in inventory: Inventory,
        using generator: inout some RandomNumberGenerator
    ) throws(StoreError) -> GatewayChange {
        try decide(request, in: inventory) { gateway, existing throws(StoreError) in
            gateway.ports = try allocatePorts(request, gateway: gateway, inventory: inventory, using: &generator)
            gateway.loadBalancerIngress = loadBalancerAddresses(for: gateway, previous: existing, inventory: inventory)
        }
    }

    /// The change for a store whose server assigns node ports and addresses (a cluster):
    /// only the node ports the operator asked for, or the Service already holds, are set;
    /// the stale hosts are those of the planned gateway, so `staleHosts(after:in:)` gives
    /// them again once the server has answered.
    public static func plan(_ request: GatewayRequest, in inventory: Inventory) throws(StoreError) -> GatewayChange {
        try decide(request, in: inventory) { gateway, _ in
            for index in gateway.ports.indices {
                switch gateway.ports[index].name {
                case "http": gateway.ports[index].nodePort = request.httpNodePort ?? gateway.ports[index].nodePort
                case "https": gateway.ports[index].nodePort = request.httpsNodePort ?? gateway.ports[index].nodePort
                default: break
                }
            }
            if gateway.type == .nodePort { gateway.loadBalancerIngress = [] }
        }
    }

    /// The routes of the gateway's project whose auto-generated hosts no longer match it.
    public static func staleHosts(after gateway: Gateway, in inventory: Inventory) -> [StaleHost] {
        let view = GatewayView(gateway: gateway, nodes: inventory.nodes)
        return AutoDomain.staleHosts(
            routes: inventory.routes(project: gateway.project), project: gateway.project, gateway: view,
            base: inventory.settings.autoDomainBase)
    }

    /// The one merge of a request into the stored gateway: the version check, what the
    /// request leaves open kept, `assign` for ports and addresses, then validation.
    private static func decide(
        _ request: GatewayRequest, in inventory: Inventory,
        assign: (inout Gateway, _ existing: Gateway?) throws(StoreError) -> Void
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
        try assign(&gateway, existing)

        let errors = Validate.gateway(gateway, nodePortRange: inventory.settings.nodePortRange)
        guard errors.isEmpty else { throw .invalid(object: reference, errors: errors) }
        return GatewayChange(gateway: gateway, staleHosts: staleHosts(after: gateway, in: inventory))
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
