import Console
import Foundation
import GatewayKit
import GatewayStore
import Terminal

extension Measurements {
    /// The console's first frame on the cluster backend: a new `KubernetesStore` through a
    /// kubeconfig (as `kgate --kubeconfig` opens it), discovery, every list paged from the
    /// API stand-in serving `count` Ingresses in project bench, decoded and validated, then
    /// the routes list drawn. The median of three, each with a store of its own; each must
    /// have loaded every route, with no problem.
    func clusterFirstFrame(routes count: Int) throws -> Double {
        let standIn = try ClusterStandIn.startBench(routes: count)
        defer { try? awaitResult { await standIn.stop() } }
        let kubeconfig = try standIn.kubeconfig(in: folder)
        var samples: [Double] = []
        for _ in 0..<3 {
            let start = ContinuousClock.now
            let store = try KubernetesStore.open(kubeconfig: kubeconfig, context: nil, environment: [:])
            let inventory = try loadCluster(store)
            var state = routesScreen(inventory: inventory, location: store.location)
            terminal.present(view(state, size: size))
            samples.append((ContinuousClock.now - start).milliseconds)
            _ = pty.drain()
            _ = update(&state, .key(.escape))
            try Self.requireWhole(inventory, routes: count)
        }
        return samples.sorted()[1]
    }

    /// A watch event → frame on the cluster backend: the console follows the stand-in's
    /// `count` Ingresses through the store's watches; the stand-in sends one ADDED Ingress
    /// down the Ingress watch; timed from the send to the routes list drawn again from
    /// the next `load()`, which must hold the new route.
    func clusterChangeToFrame(routes count: Int, samples sampleCount: Int) throws -> [Double] {
        let standIn = try ClusterStandIn.startBench(routes: count)
        defer { try? awaitResult { await standIn.stop() } }
        let store = try KubernetesStore.open(kubeconfig: try standIn.kubeconfig(in: folder), context: nil, environment: [:])
        let changes = ChangeSignal(store.changes())
        let ingresses = "/apis/networking.k8s.io/v1/ingresses"
        // Every kind listed (the first change) and the Ingress watch open.
        guard changes.wait(seconds: 30) else { throw BenchError("the cluster's watches did not sync") }
        let deadline = ContinuousClock.now + .seconds(10)
        while standIn.watchers(of: ingresses) == 0 {
            guard ContinuousClock.now < deadline else { throw BenchError("the Ingress watch did not open") }
            Thread.sleep(forTimeInterval: 0.01)
        }
        let first = try loadCluster(store)
        try Self.requireWhole(first, routes: count)
        var state = routesScreen(inventory: first, location: store.location)
        terminal.present(view(state, size: size))
        _ = pty.drain()
        var samples: [Double] = []
        for i in 0..<sampleCount {
            var route = BenchWorkspace.routes(1)[0]
            route.metadata.name = "follow-\(i)"
            route.metadata.resourceVersion = String(100_000 + i)
            changes.reset()
            let start = ContinuousClock.now
            standIn.send("ADDED", .route(route), to: ingresses)
            guard changes.wait(seconds: 5) else { throw BenchError("the change stream did not fire") }
            let inventory = try loadCluster(store)
            _ = update(&state, .loaded(.success(inventory)))
            terminal.present(view(state, size: size))
            samples.append((ContinuousClock.now - start).milliseconds)
            _ = pty.drain()
            guard inventory.route(project: BenchWorkspace.project, name: route.name) != nil else {
                throw BenchError("the load after the event lacks route \(route.name)")
            }
        }
        changes.stop()
        return samples
    }

    private func loadCluster(_ store: KubernetesStore) throws -> Inventory {
        let loaded = ClusterInventoryBox()
        try awaitResult { loaded.inventory = try await store.load() }
        guard let inventory = loaded.inventory else { throw BenchError("the cluster did not load") }
        return inventory
    }

    /// Every route of the stand-in loaded, and nothing refused.
    private static func requireWhole(_ inventory: Inventory, routes count: Int) throws {
        let routes = inventory.routes(project: BenchWorkspace.project).count
        guard routes == count, inventory.problems.isEmpty else {
            throw BenchError("the cluster loaded \(routes) of \(count) routes (problems: \(inventory.problems.count), first \(inventory.problems.prefix(3)); warnings: \(inventory.warnings.prefix(3)); projects: \(inventory.projects.map(\.name)))")
        }
    }
}

extension ClusterStandIn {
    /// The stand-in serving the bench's gateway, its Service and `count` Ingresses.
    static func startBench(routes count: Int) throws -> ClusterStandIn {
        let empty = BenchWorkspace.inventory(routes: 0)
        let objects: [KubeObject] =
            [.project(Project(name: Gateway.defaultNamespace)), .project(Project(name: BenchWorkspace.project))]
            + empty.services.map(KubeObject.service)
            + ManifestRenderer.gatewayObjects(empty.gateways[0], flavor: .gatewayCRD)
            + BenchWorkspace.routes(count).map(KubeObject.route)
        let server = StandInBox()
        try awaitResult { server.value = try await ClusterStandIn.start(objects: objects) }
        guard let standIn = server.value else { throw BenchError("the API stand-in did not start") }
        return standIn
    }
}

private final class StandInBox: @unchecked Sendable {
    var value: ClusterStandIn?
}

private final class ClusterInventoryBox: @unchecked Sendable {
    var inventory: Inventory?
}
