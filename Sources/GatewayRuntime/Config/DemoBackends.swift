import GatewayKit

/// An endpoint of the demo workspace that the gateway answers itself, with a small page
/// naming the service and pod, so that the README's `serve` example gives 200 rather
/// than 502 on a machine where nothing listens at the demo's addresses.
public struct NginxDemoBackend: Hashable, Sendable, Comparable {
    /// A loopback address, as the EndpointSlice has it.
    public var address: String
    public var port: Int
    public var namespace: String
    public var service: String
    /// The pod the demo's EndpointSlice names (its `kgate.io/demo-backend` annotation).
    public var pod: String

    public static func < (a: NginxDemoBackend, b: NginxDemoBackend) -> Bool {
        (a.address, a.port) < (b.address, b.port)
    }

    /// The page it answers with.
    public var page: String {
        "demo backend: service \(namespace)/\(service), pod \(pod) (answered by kgate serve: nothing else listens at \(NginxPlan.connectAddress(address)):\(port))"
    }
}

enum DemoBackends {
    /// Only endpoints that are marked as the demo's, on a loopback address, used by an
    /// upstream of the plan, not on one of the gateway's own ports, and where
    /// `canAnswer` says nothing else listens: a real backend always wins.
    static func answered(
        by plan: NginxPlan, inventory: Inventory, projects: [String], canAnswer: (String, Int) -> Bool
    ) -> [NginxDemoBackend] {
        let servers = Set(plan.upstreams.flatMap(\.servers))
        let gatewayPorts = Set(plan.sites.flatMap { [$0.httpPort, $0.httpsPort] })
        var found: Set<NginxDemoBackend> = []
        for slice in inventory.endpoints where projects.contains(slice.namespace) {
            guard let pod = slice.metadata.annotations[DemoBackend.annotation], Validate.dns1123Subdomain(pod).isEmpty else {
                continue
            }
            for address in slice.addresses where DemoBackend.isLoopback(address) {
                guard let host = BackendResolver.hostForServer(address, type: slice.addressType) else { continue }
                for port in slice.ports where port.protocol == "TCP" && servers.contains("\(host):\(port.port)") {
                    guard !gatewayPorts.contains(port.port), canAnswer(address, port.port) else { continue }
                    found.insert(
                        NginxDemoBackend(
                            address: address, port: port.port, namespace: slice.namespace, service: slice.serviceName, pod: pod))
                }
            }
        }
        return found.sorted()
    }
}
