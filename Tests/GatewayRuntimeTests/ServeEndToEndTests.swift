import Foundation
import GatewayKit
import GatewayRuntime
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `kgate serve` as an operator runs it: the built binary, real nginx, real HTTP on
/// loopback, on ports the kernel calls free so that runs can overlap.
@Suite(.enabled(if: NginxBinary.locate() != nil, "nginx is not installed"), .serialized)
struct ServeEndToEndTests {
    @Test func servesRoutesThroughNginxFollowsChangesAndStopsCleanly() throws {
        let workspace = try TemporaryFolder("kgate-serve")
        let ports = try LoopbackHTTP.freePorts(4)
        let (http, https, nginxPort, webPort) = (ports[0], ports[1], ports[2], ports[3])
        try kgate(["init", "--demo", "--node-port-range", "1024-65535"], workspace)
        try kgate(["gateway", "set", "demo", "--type", "NodePort", "--http-node-port", "\(http)", "--https-node-port", "\(https)"], workspace)
        try kgate(["apply", "-f", "-"], workspace, input: ManifestRenderer.yaml([
            slice("nginx", port: nginxPort), slice("web", port: webPort),
            .route(route("paths", host: "paths.example.com", path: "/v1", type: .prefix, service: "web", port: 8080)),
        ]))
        let nginxBackend = try NamedBackend(name: "nginx", port: nginxPort)
        let webBackend = try NamedBackend(name: "web", port: webPort)
        defer {
            nginxBackend.stop()
            webBackend.stop()
        }

        let runtime = try TemporaryFolder("kgate-run")
        let environment = ["XDG_RUNTIME_DIR": runtime.path]
        let serve = try ServeProcess(
            arguments: ["serve", "--project", "demo", "--workspace", workspace.path], folder: workspace, environment: environment)
        defer { serve.stop() }
        // kgate prints its URLs once nginx accepts connections.
        try #require(serve.waitForOutput("Ctrl-C stops it", seconds: 30), "kgate serve did not start\n\(serve.output)")
        try #require(LoopbackHTTP.canConnectLoopback(http), "nothing listens on \(http)\n\(serve.output)")
        #expect(serve.stdout.contains("curl -H 'Host: demo.kubesphere.io' http://127.0.0.1:\(http)/"))
        // Key material never reaches the output.
        #expect(!serve.output.contains("LS0tLS1CRUdJTi"))

        let root = try LoopbackHTTP.get(port: http, host: "demo.kubesphere.io", path: "/")
        #expect(root.status == 200)
        #expect(root.body == "backend=nginx host=demo.kubesphere.io path=/\n")
        let deep = try LoopbackHTTP.get(port: http, host: "demo.kubesphere.io", path: "/any/page?x=1")
        #expect(deep.body == "backend=nginx host=demo.kubesphere.io path=/any/page?x=1\n")

        #expect(try LoopbackHTTP.get(port: http, host: "unknown.example.com", path: "/").status == 404)
        #expect(try LoopbackHTTP.get(port: http, host: "paths.example.com", path: "/v1").body.hasPrefix("backend=web "))
        #expect(try LoopbackHTTP.get(port: http, host: "paths.example.com", path: "/v1/items").body.hasPrefix("backend=web "))
        #expect(try LoopbackHTTP.get(port: http, host: "paths.example.com", path: "/v1x").status == 404)
        #expect(try LoopbackHTTP.get(port: http, host: "paths.example.com", path: "/v2").status == 404)

        // A change to the workspace reaches nginx without a restart.
        try kgate(["apply", "-f", "-"], workspace, input: ManifestRenderer.yaml([
            .route(route("late", host: "late.example.com", path: "/", type: .prefix, service: "web", port: 8080))
        ]))
        let deadline = Date().addingTimeInterval(20)
        var late = try LoopbackHTTP.get(port: http, host: "late.example.com", path: "/")
        while late.status != 200, Date() < deadline {
            usleep(50_000)
            late = try LoopbackHTTP.get(port: http, host: "late.example.com", path: "/")
        }
        #expect(late.body == "backend=web host=late.example.com path=/\n", "\(serve.output)")

        let folder = try RuntimeLocation.folder(workspace: workspace.path, project: "demo", environment: environment)
        #expect(!FileManager.default.fileExists(atPath: workspace.file(".kgate-runtime")))
        let pidText = (try? String(contentsOfFile: "\(folder)/nginx.pid", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        let nginxPID = try #require(pidText.flatMap { Int32($0) })
        try #require(processExists(nginxPID))
        serve.terminate()
        let status = serve.wait(seconds: 20)
        #expect(status == 0, "\(serve.output)")
        #expect(!processExists(nginxPID))
        #expect(!LoopbackHTTP.canConnectLoopback(http))
    }

    @Test func refusesAProjectWithoutAGateway() throws {
        let workspace = try TemporaryFolder("kgate-serve")
        let runtime = try TemporaryFolder("kgate-run")
        try kgate(["init", "--demo"], workspace)
        let serve = try KGateProcess.run(
            ["serve", "--project", "demo", "--workspace", workspace.path], environment: ["XDG_RUNTIME_DIR": runtime.path])
        #expect(serve.status == 1)
        #expect(serve.stderr.contains("project demo has no gateway"))
        let render = try KGateProcess.run(["render", "demo", "--format", "nginx", "--workspace", workspace.path])
        #expect(render.status == 1)
        #expect(render.stderr.contains("project demo has no gateway"))
    }

    @Test func rendersTheConfigWithoutKeyMaterial() throws {
        let workspace = try TemporaryFolder("kgate-serve")
        let runtime = try TemporaryFolder("kgate-run")
        try kgate(["init", "--demo"], workspace)
        let render = try KGateProcess.run(
            ["render", "shop", "--format", "nginx", "--workspace", workspace.path], environment: ["XDG_RUNTIME_DIR": runtime.path])
        #expect(render.status == 0)
        #expect(render.stdout.contains("server_name \"shop.example.com\";"))
        // The demo's TLS Secret holds a real self-signed pair made at `init --demo`.
        #expect(render.stdout.contains("ssl_certificate_key"))
        #expect(!render.stderr.contains("TLS secret"))
        #expect(!render.stdout.contains("LS0tLS1CRUdJTi"))
        #expect(!render.stdout.contains("PRIVATE KEY"))
        // Nothing is left behind: neither in the workspace nor in the runtime place.
        #expect(!FileManager.default.fileExists(atPath: workspace.file(".kgate-runtime")))
        #expect((try? FileManager.default.contentsOfDirectory(atPath: runtime.path)) == [])
    }

    // MARK: Helpers

    @discardableResult
    private func kgate(_ arguments: [String], _ workspace: TemporaryFolder, input: String? = nil) throws -> KGateProcess.Result {
        let result = try KGateProcess.run(arguments + ["--workspace", workspace.path], input: input)
        try #require(result.status == 0, "kgate \(arguments.joined(separator: " ")): \(result)")
        return result
    }

    private func slice(_ service: String, port: Int) -> KubeObject {
        .endpoints(
            BackendEndpoints(
                metadata: ObjectMeta(name: "\(service)-local", namespace: "demo"), serviceName: service,
                addresses: ["127.0.0.1"], ports: [EndpointPort(name: "http", port: port)]))
    }

    private func route(_ name: String, host: String, path: String, type: PathType, service: String, port: Int) -> Route {
        Route(
            metadata: ObjectMeta(name: name, namespace: "demo"),
            rules: [RouteRule(host: host, paths: [RoutePath(path: path, pathType: type, backend: RouteBackend(service: service, port: port))])])
    }

    /// Alive and not a zombie waiting to be reaped.
    private func processExists(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        return !status.contains("State:\tZ")
    }
}
