import Console
import Foundation
import GatewayKit
import GatewayStore
import Terminal

extension Measurements {
    /// The console's first frame on the cluster backend: a new `KubernetesStore` through a
    /// kubeconfig (as `kgate --kubeconfig` opens it), discovery, every list paged from the
    /// API stand-in serving `count` Ingresses in project bench, decoded and validated, then
    /// the routes list drawn. The median of three, each with a store of its own.
    func clusterFirstFrame(routes count: Int) throws -> Double {
        let objects: [KubeObject] =
            [.project(Project(name: Gateway.defaultNamespace)), .project(Project(name: BenchWorkspace.project))]
            + BenchWorkspace.inventory(routes: 0).services.map(KubeObject.service)
            + ManifestRenderer.gatewayObjects(BenchWorkspace.inventory(routes: 0).gateways[0], flavor: .gatewayCRD)
            + BenchWorkspace.routes(count).map(KubeObject.route)
        let server = StandInBox()
        try awaitResult { server.value = try await ClusterStandIn.start(objects: objects) }
        guard let standIn = server.value else { throw BenchError("the API stand-in did not start") }
        defer { try? awaitResult { await standIn.stop() } }
        let kubeconfig = try standIn.kubeconfig(in: folder)
        var samples: [Double] = []
        for _ in 0..<3 {
            let start = ContinuousClock.now
            let store = try KubernetesStore.open(kubeconfig: kubeconfig, context: nil, environment: [:])
            let loaded = ClusterInventoryBox()
            try awaitResult { loaded.inventory = try await store.load() }
            guard let inventory = loaded.inventory else { throw BenchError("the cluster did not load") }
            var state = routesScreen(inventory: inventory, location: store.location)
            terminal.present(view(state, size: size))
            samples.append((ContinuousClock.now - start).milliseconds)
            _ = pty.drain()
            _ = update(&state, .key(.escape))
            let routes = inventory.routes(project: BenchWorkspace.project).count
            guard routes == count else {
                throw BenchError("the cluster loaded \(routes) of \(count) routes (problems: \(inventory.problems.prefix(3)); warnings: \(inventory.warnings.prefix(3)); routes in all: \(inventory.routes.count); projects: \(inventory.projects.map(\.name)))")
            }
        }
        return samples.sorted()[1]
    }
}

private final class StandInBox: @unchecked Sendable {
    var value: ClusterStandIn?
}

private final class ClusterInventoryBox: @unchecked Sendable {
    var inventory: Inventory?
}
