import GatewayKit
import Testing

@Suite("Access URLs")
struct AccessURLTests {
    @Test("the seed's gateway URLs: EIP first, then the internal address")
    func seedGatewayURLs() {
        let view = Seed.view
        #expect(view.status == .ready)
        #expect(view.addresses.map(\.address) == ["139.198.0.20", "192.168.0.2"])
        #expect(view.addresses.map(\.kind) == [.externalIP, .internalIP])
        #expect(view.addresses.allSatisfy { $0.node == "node1" })
        #expect(Array(view.urls.prefix(2)) == ["http://139.198.0.20:30798", "https://139.198.0.20:31279"])
        #expect(view.nodePortSummary == "http:30798; https:31279")
    }

    @Test("the seed's route URLs, http and with TLS https")
    func seedRouteURLs() {
        #expect(AccessURL.all(route: Seed.route(), gateway: Seed.view, conflicts: PathConflicts()).map(\.url) == ["http://demo.kubesphere.io:30798/"])
        #expect(
            AccessURL.all(route: Seed.route(tls: true), gateway: Seed.view, conflicts: PathConflicts()).map(\.url) == ["https://demo.kubesphere.io:31279/"])
    }

    @Test("a LoadBalancer gateway adds no port; a NodePort 80/443 adds none either")
    func defaultPorts() {
        var gateway = Seed.gateway
        gateway.type = .loadBalancer
        gateway.loadBalancerIngress = [LoadBalancerIngress(ip: "203.0.113.7")]
        let lb = GatewayView(gateway: gateway, nodes: [Seed.node])
        #expect(lb.addresses.map(\.address) == ["203.0.113.7"])
        #expect(lb.urls == ["http://203.0.113.7", "https://203.0.113.7"])
        #expect(AccessURL.all(route: Seed.route(tls: true), gateway: lb, conflicts: PathConflicts()).map(\.url) == ["https://demo.kubesphere.io/"])

        var low = Seed.gateway
        low.ports = [GatewayPort(name: "http", port: 80, nodePort: 80), GatewayPort(name: "https", port: 443, nodePort: 443)]
        let view = GatewayView(gateway: low, nodes: [Seed.node])
        #expect(AccessURL.all(route: Seed.route(), gateway: view, conflicts: PathConflicts()).map(\.url) == ["http://demo.kubesphere.io/"])
    }

    @Test("a LoadBalancer without an address is Pending with the reason, and has no URLs")
    func pendingLoadBalancer() {
        var gateway = Seed.gateway
        gateway.type = .loadBalancer
        let view = GatewayView(gateway: gateway, nodes: [Seed.node])
        #expect(view.status.name == "Pending")
        #expect(view.status.reason?.contains("LoadBalancer") == true)
        #expect(view.urls.isEmpty)
        #expect(AccessURL.all(route: Seed.route(), gateway: view, conflicts: PathConflicts()).map(\.url) == [nil])
        #expect(AccessURL.all(route: Seed.route(), gateway: nil, conflicts: PathConflicts()).map(\.url) == [nil])
    }

    @Test("a LoadBalancer hostname (an ELB) and spec.externalIPs are used as addresses")
    func hostnamesAndExternalIPs() {
        var gateway = Seed.gateway
        gateway.type = .loadBalancer
        gateway.loadBalancerIngress = [LoadBalancerIngress(hostname: "abc.elb.amazonaws.com")]
        #expect(GatewayView(gateway: gateway, nodes: []).addresses == [GatewayAddress(address: "abc.elb.amazonaws.com", kind: .loadBalancerHostname)])
        gateway.loadBalancerIngress = []
        gateway.externalIPs = ["198.51.100.4"]
        #expect(GatewayView(gateway: gateway, nodes: []).addresses.map(\.kind) == [.serviceExternalIP])
    }

    @Test("a NodePort gateway on nodes with no address, or without node ports, is Pending")
    func pendingNodePort() {
        #expect(GatewayView(gateway: Seed.gateway, nodes: []).status.name == "Pending")
        let unassigned = Gateway(project: "demo")
        #expect(GatewayView(gateway: unassigned, nodes: [Seed.node]).status.reason == "node ports are not assigned yet")
    }

    @Test("every node's addresses: all ExternalIPs first, then InternalIPs, then names")
    func everyNode() {
        let nodes = [
            Node(metadata: ObjectMeta(name: "b"), addresses: [NodeAddress(.internalIP, "10.0.0.2"), NodeAddress(.hostname, "b")]),
            Node(metadata: ObjectMeta(name: "a"), addresses: [NodeAddress(.internalIP, "10.0.0.1"), NodeAddress(.externalIP, "1.2.3.4")]),
        ]
        let view = GatewayView(gateway: Seed.gateway, nodes: nodes)
        #expect(view.addresses.map(\.address) == ["1.2.3.4", "10.0.0.1", "10.0.0.2", "b"])
        #expect(view.addresses.map(\.node) == ["a", "a", "b", "b"])
    }

    @Test("a rule without a host is reached on the gateway's first address; IPv6 is bracketed")
    func hostlessRule() {
        var route = Seed.route()
        route.rules[0].host = ""
        #expect(AccessURL.all(route: route, gateway: Seed.view, conflicts: PathConflicts()).map(\.url) == ["http://139.198.0.20:30798/"])
        let v6 = Node(metadata: ObjectMeta(name: "n"), addresses: [NodeAddress(.externalIP, "2001:db8::1")])
        #expect(GatewayView(gateway: Seed.gateway, nodes: [v6]).urls.first == "http://[2001:db8::1]:30798")
    }
}
