import Foundation
import GatewayKit
import GatewayStore
import Testing
import TestSupport

@Suite("Workspace store")
struct WorkspaceStoreTests {
    let folder: TemporaryFolder
    let store: WorkspaceStore

    init() throws {
        folder = try TemporaryFolder("ws")
        store = WorkspaceStore(root: folder.path + "/ws")
        try store.initialize(demo: true)
    }

    @Test("the demo: project demo without a gateway, shop with a NodePort gateway and routes, edge with an LB address from the pool")
    func demo() async throws {
        let inventory = try await store.load()
        #expect(inventory.problems.isEmpty, "\(inventory.problems)")
        #expect(inventory.userProjects.map(\.name) == ["demo", "edge", "shop"])
        #expect(inventory.gateway(project: "demo") == nil)
        #expect(inventory.route(project: "demo", name: "demo")?.rules.first?.host == "demo.kubesphere.io")
        let shop = try #require(inventory.gateway(project: "shop"))
        #expect(shop.httpNodePort == 31080 && shop.httpsNodePort == 31443)
        #expect(inventory.routes(project: "shop").count == 3)
        let edge = try #require(inventory.gateway(project: "edge"))
        #expect(edge.loadBalancerIngress.first?.ip == "192.168.0.100")
        #expect(inventory.nodes.first?.addresses.first == NodeAddress(.externalIP, "139.198.0.20"))
    }

    @Test("setting the seed's gateway writes the Gateway and its Service, and reads back the seed's URLs")
    func seedGateway() async throws {
        let change = try await store.setGateway(
            GatewayRequest(project: "demo", type: .nodePort, httpNodePort: 30798, httpsNodePort: 31279))
        #expect(change.gateway.resourceVersion != nil)
        #expect(folder.read("ws/kubesphere-controls-system/gateway-kubesphere-router-demo.yaml")?.contains("nodePort: 30798") == true)
        #expect(folder.read("ws/kubesphere-controls-system/service-kubesphere-router-demo.yaml")?.contains("nodePort: 31279") == true)
        let inventory = try await store.load()
        let view = GatewayView(gateway: try #require(inventory.gateway(project: "demo")), nodes: inventory.nodes)
        #expect(view.urls.prefix(2) == ["http://139.198.0.20:30798", "https://139.198.0.20:31279"])
        let route = try #require(inventory.route(project: "demo", name: "demo"))
        #expect(AccessURL.all(route: route, gateway: view, conflicts: PathConflicts()).map(\.url) == ["http://demo.kubesphere.io:30798/"])
    }

    @Test("an update from a stale resourceVersion is a conflict, and nothing is written")
    func staleUpdate() async throws {
        let inventory = try await store.load()
        var first = try #require(inventory.route(project: "demo", name: "demo"))
        var second = first
        first.alias = "first"
        _ = try await store.updateRoute(first)
        second.alias = "second"
        await #expect {
            try await store.updateRoute(second)
        } throws: { error in
            guard case StoreError.conflict = error else { return false }
            return true
        }
        #expect(try await store.load().route(project: "demo", name: "demo")?.alias == "first")
    }

    @Test("create refuses a taken name; delete of a missing route is not found")
    func createAndDelete() async throws {
        let route = try #require(try await store.load().route(project: "demo", name: "demo"))
        await #expect(throws: StoreError.alreadyExists(object: "Ingress demo/demo")) { try await store.createRoute(route) }
        try await store.deleteRoute(project: "demo", name: "demo")
        #expect(try await store.load().route(project: "demo", name: "demo") == nil)
        await #expect(throws: StoreError.notFound(object: "Ingress demo/demo")) {
            try await store.deleteRoute(project: "demo", name: "demo")
        }
    }

    @Test("a file that does not parse is reported with its path; the rest loads; kgate does not overwrite it")
    func brokenFile() async throws {
        try folder.write("ws/demo/ingress-broken.yaml", "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: [oops\n")
        let inventory = try await store.load()
        #expect(inventory.problems.map(\.source) == ["demo/ingress-broken.yaml"])
        #expect(inventory.route(project: "demo", name: "demo") != nil)
        var route = try #require(inventory.route(project: "demo", name: "demo"))
        route.metadata.name = "broken"
        route.metadata.resourceVersion = nil
        await #expect {
            try await store.createRoute(route)
        } throws: { error in
            guard case StoreError.unavailable(let reason) = error else { return false }
            return reason.contains("demo/ingress-broken.yaml")
        }
        #expect(folder.read("ws/demo/ingress-broken.yaml")?.contains("[oops") == true)
    }

    @Test("read-only refuses every write")
    func readOnly() async throws {
        let readOnly = WorkspaceStore(root: store.root, readOnly: true)
        #expect(try await readOnly.load().projects.isEmpty == false)
        await #expect {
            try await readOnly.setGateway(GatewayRequest(project: "demo", type: .nodePort))
        } throws: { error in
            guard case StoreError.forbidden(let reason) = error else { return false }
            return reason.contains("read-only")
        }
        await #expect(throws: StoreError.self) { try await readOnly.deleteRoute(project: "demo", name: "demo") }
    }

    @Test("a LoadBalancer gateway stays Pending without a pool and gets its address when a pool is applied")
    func addressPool() async throws {
        try await store.deleteGateway(project: "edge")
        let pool = try #require(try await store.load().addressPools.first)
        try FileManager.default.removeItem(atPath: folder.file("ws/_cluster/eip-eip-pool.yaml"))
        let change = try await store.setGateway(GatewayRequest(project: "demo", type: .loadBalancer))
        #expect(change.gateway.loadBalancerIngress.isEmpty)
        var inventory = try await store.load()
        #expect(GatewayView(gateway: try #require(inventory.gateway(project: "demo")), nodes: inventory.nodes).status.name == "Pending")
        var fresh = pool
        fresh.metadata.resourceVersion = nil
        _ = try await store.apply([.addressPool(fresh)])
        inventory = try await store.load()
        #expect(inventory.gateway(project: "demo")?.loadBalancerIngress.first?.ip == "192.168.0.100")
    }

    @Test("a write by another store on the same folder is announced on the change stream")
    func changeStream() async throws {
        // The watcher is in place when changes() returns, so the write below cannot be missed.
        let changes = store.changes()
        let other = WorkspaceStore(root: store.root)
        _ = try await other.setGateway(GatewayRequest(project: "demo", type: .nodePort))
        let announced = await firstElement(of: changes, within: .seconds(5))
        #expect(announced)
    }
}

/// Whether `stream` yields within `limit`.
func firstElement(of stream: AsyncStream<Void>, within limit: Duration) async -> Bool {
    await withTaskGroup(of: Bool.self) { group in
        group.addTask {
            for await _ in stream { return true }
            return false
        }
        group.addTask {
            try? await Task.sleep(for: limit)
            return false
        }
        let first = await group.next() ?? false
        group.cancelAll()
        return first
    }
}
