import TestSupport
import GatewayKit
import Testing

@Suite("Setting a gateway")
struct GatewayPlannerTests {
    var inventory = Inventory(projects: [Project(name: "demo"), Project(name: "shop")], nodes: [Seed.node])

    @Test("the seed: NodePort with node ports 30798/31279")
    func seed() throws {
        var generator = SeededGenerator(seed: 1)
        let change = try GatewayPlanner.plan(
            GatewayRequest(project: "demo", type: .nodePort, httpNodePort: 30798, httpsNodePort: 31279), in: inventory,
            using: &generator)
        #expect(change.gateway.httpNodePort == 30798)
        #expect(change.gateway.httpsNodePort == 31279)
        #expect(change.gateway.namespace == "kubesphere-controls-system")
        #expect(GatewayView(gateway: change.gateway, nodes: inventory.nodes).urls.prefix(2) == ["http://139.198.0.20:30798", "https://139.198.0.20:31279"])
    }

    @Test("without explicit ports both are allocated, distinct, from the upper band; a later change keeps them")
    func allocatedAndKept() throws {
        var generator = SeededGenerator(seed: 2)
        var inventory = inventory
        let first = try GatewayPlanner.plan(GatewayRequest(project: "demo", type: .nodePort), in: inventory, using: &generator)
        let http = try #require(first.gateway.httpNodePort)
        let https = try #require(first.gateway.httpsNodePort)
        #expect(http != https)
        #expect((30086...32767).contains(http) && (30086...32767).contains(https))
        inventory.gateways = [first.gateway]
        let second = try GatewayPlanner.plan(
            GatewayRequest(project: "demo", type: .nodePort, governance: true), in: inventory, using: &generator)
        #expect(second.gateway.httpNodePort == http)
        #expect(second.gateway.httpsNodePort == https)
        #expect(second.gateway.governance)
    }

    @Test("a port another gateway holds is refused with its owner, on the field")
    func taken() throws {
        var generator = SeededGenerator(seed: 3)
        var inventory = inventory
        var shop = Seed.gateway
        shop.project = "shop"
        inventory.gateways = [shop]
        #expect {
            try GatewayPlanner.plan(
                GatewayRequest(project: "demo", type: .nodePort, httpNodePort: 30798), in: inventory, using: &generator)
        } throws: { error in
            guard case StoreError.invalid(_, let errors) = error else { return false }
            return errors.map(\.field.description) == ["spec.ports[0].nodePort"]
                && errors[0].reason.contains("already allocated by Service kubesphere-controls-system/kubesphere-router-shop")
        }
    }

    @Test("an unknown project is not found; a stale resourceVersion is a conflict")
    func refusals() {
        var generator = SeededGenerator(seed: 4)
        #expect(throws: StoreError.notFound(object: "Namespace nope")) {
            try GatewayPlanner.plan(GatewayRequest(project: "nope", type: .nodePort), in: inventory, using: &generator)
        }
        var edited = inventory
        var gateway = Seed.gateway
        gateway.resourceVersion = "5"
        edited.gateways = [gateway]
        #expect {
            try GatewayPlanner.plan(
                GatewayRequest(project: "demo", type: .loadBalancer, expectedResourceVersion: "4"), in: edited,
                using: &generator)
        } throws: { error in
            if case StoreError.conflict = error { return true }
            return false
        }
    }

    @Test("switching NodePort → LoadBalancer with no pool: Pending, node ports kept, auto hosts reported stale")
    func switchToLoadBalancer() throws {
        var generator = SeededGenerator(seed: 5)
        var inventory = inventory
        inventory.gateways = [Seed.gateway]
        var route = Seed.route()
        route.rules[0].host = "nginx.demo.139.198.0.20.nip.io"
        inventory.routes = [route]
        let change = try GatewayPlanner.plan(GatewayRequest(project: "demo", type: .loadBalancer), in: inventory, using: &generator)
        #expect(change.gateway.type == .loadBalancer)
        #expect(change.gateway.httpNodePort == 30798)
        #expect(GatewayView(gateway: change.gateway, nodes: inventory.nodes).status.name == "Pending")
        #expect(change.staleHosts.map(\.host) == ["nginx.demo.139.198.0.20.nip.io"])
        #expect(change.staleHosts.first?.replacement == nil)
    }

    @Test("for a server that assigns node ports: open ports stay open, kept and explicit ones are sent, -1 is refused on its field")
    func serverAssigns() throws {
        var inventory = inventory
        let fresh = try GatewayPlanner.plan(GatewayRequest(project: "demo", type: .nodePort), in: inventory)
        #expect(fresh.gateway.ports.map(\.nodePort) == [nil, nil])
        inventory.gateways = [Seed.gateway]
        let kept = try GatewayPlanner.plan(GatewayRequest(project: "demo", type: .nodePort, httpsNodePort: 31999), in: inventory)
        #expect(kept.gateway.ports.map(\.nodePort) == [30798, 31999])
        #expect {
            try GatewayPlanner.plan(GatewayRequest(project: "demo", type: .nodePort, httpNodePort: -1), in: inventory)
        } throws: { error in
            guard case StoreError.invalid(_, let errors) = error else { return false }
            return errors.contains { $0.description.hasPrefix("spec.ports[0].nodePort") }
        }
    }
}
