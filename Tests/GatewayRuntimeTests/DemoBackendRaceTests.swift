import Foundation
import GatewayKit
import Synchronization
import TestSupport
import Testing

@testable import GatewayRuntime

/// A demo backend's port is free when the gateway plans it, then taken before nginx binds
/// it: two demo gateways starting at the same moment (or anything else starting there).
/// The gateway starts anyway, leaving that port to whoever listens there now.
@Suite("Demo backend taken while nginx starts", .serialized)
struct DemoBackendRaceTests {
    @Test func theGatewayStartsAgainWithoutTheTakenDemoBackend() async throws {
        let nginx = try #require(NginxBinary.locate())
        let ports = try LoopbackHTTP.freePorts(3)
        // The real backend now holding the demo's port: the gateway must send requests there.
        let backend = try NamedBackend(name: "real", port: ports[2])
        defer { backend.stop() }
        let store = FixedStore(Self.inventory(httpPort: ports[0], httpsPort: ports[1], demoPort: ports[2]))
        // The probe answers "free" once for the demo port, as it did just before the other
        // process bound it; after that it answers what is true.
        let probes = Mutex(0)
        let folder = try TemporaryFolder("kgate-demo-race")
        let logged = Mutex<[String]>([])
        let gateway = LocalGateway(
            store: store, selection: .project("demo"), layout: NginxLayout(folder: folder.path), nginx: nginx,
            log: { line in logged.withLock { $0.append(line) } },
            demoPortIsFree: { address, port in
                let first = probes.withLock { count in
                    count += 1
                    return count == 1
                }
                return first || ListenProbe.bindError(address: address, port: port) == nil
            })
        let exits = Mutex<[Int32]>([])
        do {
            let plan = try await gateway.start(onExit: { status in exits.withLock { $0.append(status) } })
            #expect(plan.demoBackends.isEmpty)
            #expect(logged.withLock { $0 }.contains { $0.contains("demo backend's port was taken") })
            let answer = try LoopbackHTTP.get(port: ports[0], host: "demo.example.com", path: "/")
            #expect(answer.status == 200)
            #expect(answer.body.hasPrefix("backend=real "))
            // The first nginx, which could not bind the port, ended; that is no exit of the gateway.
            #expect(exits.withLock { $0 }.isEmpty)
            #expect(await gateway.pid != nil)
        } catch {
            await gateway.stop()
            throw error
        }
        await gateway.stop()
    }

    /// Project `demo`: its gateway on `httpPort`/`httpsPort`, one route to the Service `web`,
    /// whose EndpointSlice is the demo's (marked) at 127.0.0.1:`demoPort`.
    static func inventory(httpPort: Int, httpsPort: Int, demoPort: Int) -> Inventory {
        Inventory(
            projects: [Project(name: "demo")],
            services: [BackendService(metadata: ObjectMeta(name: "web", namespace: "demo"), ports: [ServicePort(name: "http", port: 80)])],
            endpoints: [
                BackendEndpoints(
                    metadata: ObjectMeta(name: "web-demo", namespace: "demo", annotations: [DemoBackend.annotation: "web-demo-pod"]),
                    serviceName: "web", addresses: ["127.0.0.1"], ports: [EndpointPort(name: "http", port: demoPort)])
            ],
            routes: [
                Route(
                    metadata: ObjectMeta(name: "site", namespace: "demo"),
                    rules: [
                        RouteRule(
                            host: "demo.example.com",
                            paths: [RoutePath(path: "/", pathType: .prefix, backend: RouteBackend(service: "web", port: 80))])
                    ])
            ],
            gateways: [
                Gateway(
                    project: "demo",
                    ports: [GatewayPort(name: "http", port: 80, nodePort: httpPort), GatewayPort(name: "https", port: 443, nodePort: httpsPort)])
            ])
    }
}

/// A store that holds one inventory and takes no writes.
private final class FixedStore: ObjectStore, Sendable {
    let inventory: Inventory
    init(_ inventory: Inventory) { self.inventory = inventory }

    var location: String { "fixed inventory" }
    var isReadOnly: Bool { true }
    func load() async throws(StoreError) -> Inventory { inventory }
    func changes() -> AsyncStream<Void> { AsyncStream { $0.finish() } }
    func apply(_ objects: [KubeObject]) async throws(StoreError) -> [ApplyOutcome] { throw refused }
    func setGateway(_ request: GatewayRequest) async throws(StoreError) -> GatewayChange { throw refused }
    func deleteGateway(project: String) async throws(StoreError) { throw refused }
    func createRoute(_ route: Route) async throws(StoreError) -> Route { throw refused }
    func updateRoute(_ route: Route) async throws(StoreError) -> Route { throw refused }
    func deleteRoute(project: String, name: String) async throws(StoreError) { throw refused }
    private var refused: StoreError { .forbidden(reason: "a fixed inventory takes no writes") }
}
