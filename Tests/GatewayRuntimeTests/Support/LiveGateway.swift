import Foundation
import GatewayKit
import TestSupport
import Testing

@testable import GatewayRuntime

/// Real nginx serving one project of an inventory on two free loopback ports, with a
/// `NamedBackend` for every Service of the project (its EndpointSlice points there), so
/// that a request's answer names the Service nginx chose. Made through `serving`, which
/// stops nginx and the backends however the body ends.
final class LiveGateway: @unchecked Sendable {
    let httpPort: Int
    let httpsPort: Int
    let plan: NginxPlan
    private let folder: TemporaryFolder
    private let master: NginxMaster
    private let backends: [NamedBackend]
    /// The runtime folder: nginx.conf, logs, pid file.
    var runtimeFolder: String { folder.path }

    /// Services named in `services` get an EndpointSlice to their backend; a service
    /// listed in `inventory` already keeps its own slices.
    static func serving(
        project: String, inventory: Inventory, services: [String], _ body: (LiveGateway) async throws -> Void
    ) async throws {
        let gateway = try await LiveGateway(project: project, inventory: inventory, services: services)
        do {
            try await body(gateway)
        } catch {
            await gateway.stop()
            throw error
        }
        await gateway.stop()
    }

    private init(project: String, inventory: Inventory, services: [String]) async throws {
        var inventory = inventory
        let ports = try LoopbackHTTP.freePorts(2 + services.count)
        (httpPort, httpsPort) = (ports[0], ports[1])
        var backends: [NamedBackend] = []
        for (service, port) in zip(services, ports.dropFirst(2)) {
            backends.append(try NamedBackend(name: service, port: port))
            if !inventory.services.contains(where: { $0.namespace == project && $0.name == service }) {
                inventory.services.append(
                    BackendService(metadata: ObjectMeta(name: service, namespace: project), ports: [ServicePort(name: "http", port: 8080)]))
            }
            inventory.endpoints.append(
                BackendEndpoints(
                    metadata: ObjectMeta(name: "\(service)-live", namespace: project), serviceName: service,
                    addresses: ["127.0.0.1"], ports: [EndpointPort(name: "http", port: port)]))
        }
        self.backends = backends
        folder = try TemporaryFolder("kgate-live")
        let layout = NginxLayout(folder: folder.path)
        let files = try RuntimeFiles(layout: layout)
        // As serve decides it: secrets nginx cannot load are found by `nginx -t` and left out.
        let nginx = try #require(NginxBinary.locate())
        let checked = try CheckedConfig.make(
            inventory: inventory, selection: .project(project), listen: NginxListen(httpPort: httpPort, httpsPort: httpsPort),
            layout: layout, files: files, nginx: nginx, canAnswerDemoBackend: { _, _ in false })
        plan = checked.plan
        _ = try files.writeSecrets(plan.secrets, from: inventory)
        try files.writeConfig(checked.text, to: "nginx.conf")
        master = try nginx.start(layout: layout, onExit: { _ in })
        // Ready when the kgate-only server answers: nginx has bound both ports by then.
        let deadline = Date().addingTimeInterval(10)
        while (try? LoopbackHTTP.get(port: httpPort, host: NginxPlan.readinessHost, path: "/", timeout: 1))?.status != 200 {
            guard Date() < deadline, master.isRunning else {
                await stop()
                throw LoopbackError("nginx did not start: \(folder.read("logs/error.log") ?? "")")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    private func stop() async {
        await master.stop()
        backends.forEach { $0.stop() }
    }

    /// The config nginx was started with or last given.
    var config: String? { folder.read("nginx.conf") }

    /// Replaces nginx.conf by `text` and reloads nginx: its verdict, read as `serve` reads it.
    func reload(with text: String) async throws -> ReloadOutcome {
        let files = try RuntimeFiles(layout: NginxLayout(folder: folder.path))
        try files.writeConfig(text, to: "nginx.conf")
        return try await ReloadOutcome.signal(master, files: files)
    }

    /// The Service that answered `method path` for `host`, or `status <n>` when no backend did.
    func served(_ method: String = "GET", host: String, path: String) throws -> String {
        let response = try LoopbackHTTP.request(method, port: httpPort, host: host, path: path)
        guard response.status == 200, let name = response.body.split(separator: " ").first?.split(separator: "=").last else {
            return "status \(response.status)"
        }
        return String(name)
    }
}
