import Foundation
import GatewayKit
import GatewayRuntime
import GatewayStore

#if canImport(Glibc)
    import Glibc
#endif

extension NginxBinary {
    /// Why a figure of the local gateway was not measured.
    static let missing = "nginx not found (Debian/Ubuntu: apt-get install nginx-light)"
}

extension Measurements {
    /// An endpoint change → the local gateway serving it, as `kgate serve` follows the
    /// workspace: the write, the change stream, `LocalGateway.reload` (a graceful reload,
    /// its verdict read from nginx's error log). Each change names another demo pod in project shop's frontend
    /// slice; the gateway's demo page names the pod, so a request shows when it is
    /// served. Nil when nginx is not installed. Listens on shop's demo node ports.
    func endpointChangeToServed(samples count: Int) throws -> [Double]? {
        guard let nginx = NginxBinary.locate() else { return nil }
        let store = WorkspaceStore(root: folder + "/gateway")
        try store.initialize(demo: true)
        let path = RoutePath(path: "/bench", pathType: .prefix, backend: RouteBackend(service: "frontend", port: 80))
        let route = Route(metadata: ObjectMeta(name: "bench", namespace: "shop"), rules: [RouteRule(host: "", paths: [path])])
        try awaitResult { _ = try await store.apply([.route(route)]) }
        let gateway = try FollowingGateway(
            store: store, project: "shop", listen: NginxListen(), folder: folder + "/gateway-run", nginx: nginx)
        defer { gateway.stop() }
        var samples: [Double] = []
        for i in 0..<count {
            let pod = "frontend-v\(i)"
            let slice = BackendEndpoints(
                metadata: ObjectMeta(name: "frontend-local", namespace: "shop", annotations: [DemoBackend.annotation: pod]),
                serviceName: "frontend", addresses: ["127.0.0.1"], ports: [EndpointPort(name: "http", port: 18082)])
            let start = ContinuousClock.now
            try awaitResult { _ = try await store.apply([.endpoints(slice)]) }
            try gateway.awaitServed(host: "bench.test", path: "/bench", bodyContaining: "pod \(pod) ", since: start, change: i)
            samples.append((ContinuousClock.now - start).milliseconds)
        }
        BenchStages.reportSorted("endpoint change → served", samples)
        return samples
    }

    /// A route saved → the local gateway serving it, in a project of `routes` routes: another
    /// process's store creates the route (as `kgate route create` would), the serving
    /// gateway follows the workspace as `kgate serve` does, and a request for the new
    /// route's host is made until the project's backend (a demo endpoint the gateway
    /// answers itself) answers it. Nil when nginx is not installed. Free ports only.
    func saveToServed(routes: Int, samples count: Int) throws -> [Double]? {
        guard let nginx = NginxBinary.locate() else { return nil }
        let root = try BenchWorkspace.make(routes: routes, in: folder + "/served")
        let project = BenchWorkspace.project
        let backendPort = try freePort()
        let slice = BackendEndpoints(
            metadata: ObjectMeta(name: "web-local", namespace: project, annotations: [DemoBackend.annotation: "web-bench"]),
            serviceName: "web", addresses: ["127.0.0.1"], ports: [EndpointPort(name: "http", port: backendPort)])
        let store = WorkspaceStore(root: root)
        try awaitResult { _ = try await store.apply([.endpoints(slice)]) }
        let gateway = try FollowingGateway(
            store: store, project: project,
            listen: NginxListen(address: "127.0.0.1", httpPort: try freePort(), httpsPort: try freePort()),
            folder: folder + "/served-run", nginx: nginx)
        defer { gateway.stop() }
        let saver = WorkspaceStore(root: root)
        var samples: [Double] = []
        for i in 0..<count {
            let host = "saved-\(i).bench.test"
            let path = RoutePath(path: "/", pathType: .prefix, backend: RouteBackend(service: "web", port: 80))
            let route = Route(metadata: ObjectMeta(name: "saved-\(i)", namespace: project), rules: [RouteRule(host: host, paths: [path])])
            let start = ContinuousClock.now
            try awaitResult { _ = try await saver.createRoute(route) }
            try gateway.awaitServed(host: host, path: "/", bodyContaining: "pod web-bench ", since: start, change: i)
            samples.append((ContinuousClock.now - start).milliseconds)
        }
        BenchStages.reportSorted("save → served", samples)
        return samples
    }

    /// A TCP port on loopback that nothing listens on now.
    private func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BenchError("cannot open a socket") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw BenchError("cannot find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// A local gateway following its store as `kgate serve` does: each change lets a
/// multi-file edit land (`LocalGateway.changeSettling`), then reloads.
private final class FollowingGateway {
    let gateway: LocalGateway
    let port: Int
    private let follow: Task<Void, Never>

    init(store: WorkspaceStore, project: String, listen: NginxListen, folder: String, nginx: NginxBinary) throws {
        let gateway = LocalGateway(
            store: store, selection: .project(project), listen: listen, layout: NginxLayout(folder: folder), nginx: nginx,
            log: { _ in })
        let started = PlanBox()
        try awaitResult { started.plan = try await gateway.start(onExit: { _ in }) }
        guard let port = started.plan?.sites.first?.httpPort else {
            try? awaitResult { await gateway.stop() }
            throw BenchError("the gateway serves no site")
        }
        self.gateway = gateway
        self.port = port
        // Watching starts here, before the first change is made, not whenever the task runs.
        let changes = store.changes()
        follow = Task {
            for await _ in changes {
                try? await Task.sleep(for: LocalGateway.changeSettling)
                _ = await gateway.reload()
            }
        }
    }

    /// Waits until a request for `host` and `path` is answered with a body holding `text`;
    /// a change not served within 5 s of `start` is an error.
    func awaitServed(host: String, path: String, bodyContaining text: String, since start: ContinuousClock.Instant, change: Int) throws {
        while GatewayProbe.body(address: "127.0.0.1", port: port, host: host, path: path)?.contains(text) != true {
            guard ContinuousClock.now - start < .seconds(5) else { throw BenchError("change \(change) was not served within 5 s") }
            usleep(2_000)
        }
    }

    func stop() {
        follow.cancel()
        try? awaitResult { [gateway] in await gateway.stop() }
    }
}

private final class PlanBox: @unchecked Sendable {
    var plan: NginxPlan?
}
