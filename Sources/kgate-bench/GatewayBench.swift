import Foundation
import GatewayKit
import GatewayRuntime
import GatewayStore

extension Measurements {
    /// An endpoint change → the local gateway serving it, as `kgate serve` follows the
    /// workspace: the write, the change stream, `LocalGateway.reload` (`nginx -t`, then a
    /// graceful reload). Each change names another demo pod in project shop's frontend
    /// slice; the gateway's demo page names the pod, so a request shows when it is
    /// served. Nil when nginx is not installed. Listens on shop's demo node ports.
    func endpointChangeToServed(samples count: Int) throws -> [Double]? {
        guard let nginx = NginxBinary.locate() else { return nil }
        let store = WorkspaceStore(root: folder + "/gateway")
        try store.initialize(demo: true)
        let path = RoutePath(path: "/bench", pathType: .prefix, backend: RouteBackend(service: "frontend", port: 80))
        let route = Route(metadata: ObjectMeta(name: "bench", namespace: "shop"), rules: [RouteRule(host: "", paths: [path])])
        try awaitResult { _ = try await store.apply([.route(route)]) }
        let gateway = LocalGateway(
            store: store, selection: .project("shop"), layout: NginxLayout(folder: folder + "/gateway-run"), nginx: nginx,
            log: { _ in })
        let started = PlanBox()
        try awaitResult { started.plan = try await gateway.start(onExit: { _ in }) }
        defer { try? awaitResult { await gateway.stop() } }
        guard let port = started.plan?.sites.first?.httpPort else { throw BenchError("the gateway serves no site") }
        // What serve does on a change: let a multi-file edit land, then reload.
        let follow = Task {
            for await _ in store.changes() {
                try? await Task.sleep(for: .milliseconds(100))
                _ = await gateway.reload()
            }
        }
        defer { follow.cancel() }
        var samples: [Double] = []
        for i in 0..<count {
            let pod = "frontend-v\(i)"
            let slice = BackendEndpoints(
                metadata: ObjectMeta(name: "frontend-local", namespace: "shop", annotations: [DemoBackend.annotation: pod]),
                serviceName: "frontend", addresses: ["127.0.0.1"], ports: [EndpointPort(name: "http", port: 18082)])
            let start = ContinuousClock.now
            try awaitResult { _ = try await store.apply([.endpoints(slice)]) }
            while GatewayProbe.body(address: "127.0.0.1", port: port, host: "bench.test", path: "/bench")?.contains("pod \(pod) ") != true {
                guard ContinuousClock.now - start < .seconds(5) else { throw BenchError("change \(i) was not served within 5 s") }
                usleep(2_000)
            }
            samples.append((ContinuousClock.now - start).milliseconds)
        }
        return samples
    }
}

private final class PlanBox: @unchecked Sendable {
    var plan: NginxPlan?
}
