import GatewayKit

/// Follows an Ingress backend to where it really listens, as kube-proxy and
/// ingress-nginx do: the backend's port (number or name) → the Service port → that
/// port's EndpointSlice port (slices name their ports after the Service port, and carry
/// the resolved targetPort) → every slice address on that port.
struct BackendResolver {
    enum Outcome: Hashable {
        case upstream(NginxUpstream)
        /// The service, its port or its endpoints are missing: the location answers 503.
        case unavailable(reason: String)
    }

    /// Services and their EndpointSlices by namespace and name, made once per plan: a
    /// scan of the inventory per path made nginx.conf for 10,000 routes take seconds.
    private let services: [String: BackendService]
    private let slices: [String: [BackendEndpoints]]

    init(inventory: Inventory) {
        var services: [String: BackendService] = [:]
        for service in inventory.services where services["\(service.namespace)/\(service.name)"] == nil {
            services["\(service.namespace)/\(service.name)"] = service
        }
        self.services = services
        slices = Dictionary(grouping: inventory.endpoints) { "\($0.namespace)/\($0.serviceName)" }
            .mapValues { $0.sorted { $0.name < $1.name } }
    }

    func resolve(_ backend: RouteBackend, namespace: String) -> Outcome {
        let label = "\(namespace)/\(backend.service):\(backend.portText)"
        guard let service = services["\(namespace)/\(backend.service)"]
        else { return .unavailable(reason: "backend \(label): service not found") }
        guard service.type != "ExternalName" else {
            return .unavailable(reason: "backend \(label): ExternalName services are not proxied locally")
        }
        let servicePort = service.ports.first { port in
            if let number = backend.portNumber { return port.port == number }
            return port.name != nil && port.name == backend.portName
        }
        guard let servicePort, servicePort.protocol == "TCP" else {
            return .unavailable(reason: "backend \(label): the service has no such TCP port")
        }
        var servers: [String] = []
        for slice in slices["\(namespace)/\(service.name)"] ?? [] {
            guard let port = endpointPort(in: slice, for: servicePort) else { continue }
            // ingress-nginx sends nothing to an endpoint that is not ready.
            for address in slice.addresses where !slice.notReadyAddresses.contains(address) {
                guard let host = BackendResolver.hostForServer(address, type: slice.addressType) else { continue }
                let server = "\(host):\(port)"
                if !servers.contains(server) { servers.append(server) }
            }
        }
        guard !servers.isEmpty else { return .unavailable(reason: "backend \(label): no ready endpoints") }
        return .upstream(NginxUpstream(name: "\(namespace).\(service.name).\(servicePort.port)", servers: servers))
    }

    /// The slice port for `servicePort`: by name (an unnamed Service port has an unnamed
    /// slice port), else, for a numeric targetPort, the slice port with that number.
    private func endpointPort(in slice: BackendEndpoints, for servicePort: ServicePort) -> Int? {
        let tcp = slice.ports.filter { $0.protocol == "TCP" && (1...65535).contains($0.port) }
        if let named = tcp.first(where: { ($0.name ?? "") == (servicePort.name ?? "") }) { return named.port }
        if let target = servicePort.targetPort.flatMap(Int.init), tcp.contains(where: { $0.port == target }) {
            return target
        }
        return nil
    }

    /// An address as nginx's `server` wants it: IPv6 in brackets. Only IP addresses are
    /// proxied to: a name (an FQDN slice) would make nginx resolve it at start, and fail
    /// to start when it does not resolve.
    static func hostForServer(_ address: String, type: String) -> String? {
        guard Validate.ipAddress(address).isEmpty else { return nil }
        return address.contains(":") ? "[\(address)]" : address
    }
}
