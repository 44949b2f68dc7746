import Foundation
import GatewayKit
import GatewayStore

/// A workspace with `count` routes in project `bench`, written straight to disk (setting it
/// up is not what is measured), on top of the demo objects.
enum BenchWorkspace {
    static let project = "bench"

    static func make(routes count: Int, in folder: String) throws -> String {
        let root = "\(folder)/ws-\(count)"
        let store = WorkspaceStore(root: root)
        try store.initialize(demo: true)
        let objects: [KubeObject] = [
            .project(Project(name: project)),
            .service(
                BackendService(
                    metadata: ObjectMeta(name: "web", namespace: project),
                    ports: [ServicePort(name: "http", port: 80, targetPort: "8080")])),
            .gateway(
                Gateway(
                    project: project,
                    ports: [GatewayPort(name: "http", port: 80, nodePort: 30080), GatewayPort(name: "https", port: 443, nodePort: 30443)])),
        ]
        try awaitResult { _ = try await store.apply(objects) }
        let folder = "\(root)/\(project)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for route in routes(count) {
            let text = ManifestRenderer.yaml([.route(route)])
            try Data(text.utf8).write(to: URL(fileURLWithPath: "\(folder)/ingress-\(route.name).yaml"))
        }
        return root
    }

    /// Waits until files written before `made` are older than the store's settling time:
    /// what a workspace is when kgate starts on it (a clone, files edited a while ago).
    /// Measured right after the files were written, every load would check every file by
    /// its bytes and write the index again as the files settle, which is the cost of a
    /// workspace written that same second, not of one "unchanged since the last run".
    static func settle(since made: ContinuousClock.Instant) {
        let settled = made + WorkspaceStore.settlingTime + .milliseconds(100)
        if settled > .now { Thread.sleep(forTimeInterval: (settled - .now).milliseconds / 1000) }
    }

    /// Routes `r00000`…, each with its host, one or two paths and sometimes TLS.
    static func routes(_ count: Int, project: String = project) -> [Route] {
        (0..<count).map { i in
            let name = String(format: "r%05d", i)
            var paths = [RoutePath(path: "/", pathType: .prefix, backend: RouteBackend(service: "web", port: 80))]
            if i % 3 == 0 {
                paths.append(RoutePath(path: "/api/v\(i % 7)", pathType: .prefix, backend: RouteBackend(service: "web", portName: "http")))
            }
            let host = "\(name).apps\(i % 13).example.com"
            return Route(
                metadata: ObjectMeta(name: name, namespace: project, resourceVersion: String(i + 1)),
                rules: [RouteRule(host: host, paths: paths)],
                tls: i % 4 == 0 ? [RouteTLS(hosts: [host], secretName: "tls")] : [])
        }
    }

    /// A new route for the change figures: the first bench route, renamed.
    static func followRoute(named name: String) -> Route {
        var route = routes(1)[0]
        route.metadata.name = name
        route.metadata.resourceVersion = nil
        return route
    }

    /// An inventory with `count` routes, built in memory (for the 100,000-route filter).
    static func inventory(routes count: Int) -> Inventory {
        Inventory(
            projects: [Project(name: project)],
            nodes: [Node(metadata: ObjectMeta(name: "node1"), addresses: [NodeAddress(.externalIP, "139.198.0.20")])],
            services: [BackendService(metadata: ObjectMeta(name: "web", namespace: project), ports: [ServicePort(name: "http", port: 80)])],
            routes: routes(count),
            gateways: [
                Gateway(
                    project: project,
                    ports: [GatewayPort(name: "http", port: 80, nodePort: 30080), GatewayPort(name: "https", port: 443, nodePort: 30443)])
            ])
    }
}

/// Runs an async body from synchronous code (the bench is a plain sequence of steps).
func awaitResult(_ body: @escaping @Sendable () async throws -> Void) throws {
    let box = ErrorBox()
    let done = DispatchSemaphore(value: 0)
    Task {
        do { try await body() } catch { box.error = error }
        done.signal()
    }
    done.wait()
    if let error = box.error { throw error }
}

private final class ErrorBox: @unchecked Sendable {
    var error: Error?
}
