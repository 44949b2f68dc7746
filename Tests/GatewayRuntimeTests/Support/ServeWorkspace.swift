import Foundation
import GatewayKit
import GatewayRuntime
import TestSupport
import Testing

/// A demo workspace in `<folder>/ws` whose runtime place (`XDG_RUNTIME_DIR`) is
/// `<folder>/run`, with the node-port range open wide so that gateways can take ports
/// the kernel calls free. Serve output goes to files in `<folder>`, outside the workspace.
struct ServeWorkspace {
    let folder: TemporaryFolder
    var workspace: String { folder.workspace }
    var environment: [String: String] { ["XDG_RUNTIME_DIR": folder.file("run")] }

    init(_ name: String) throws {
        folder = try TemporaryFolder(name)
        try FileManager.default.createDirectory(atPath: folder.file("run"), withIntermediateDirectories: false)
        try kgate(["init", "--demo", "--node-port-range", "1024-65535"])
    }

    @discardableResult
    func kgate(_ arguments: [String], input: String? = nil) throws -> KGateProcess.Result {
        let result = try KGateProcess.run(arguments + ["--workspace", workspace], input: input, environment: environment)
        try #require(result.status == 0, "kgate \(arguments.joined(separator: " ")): \(result)")
        return result
    }

    func run(_ arguments: [String]) throws -> KGateProcess.Result {
        try KGateProcess.run(arguments + ["--workspace", workspace], environment: environment)
    }

    func apply(_ objects: [KubeObject]) throws { try kgate(["apply", "-f", "-"], input: ManifestRenderer.yaml(objects)) }

    /// Gives `project`'s gateway two free ports; returns them.
    func setGateway(_ project: String) throws -> (http: Int, https: Int) {
        let ports = try LoopbackHTTP.freePorts(2)
        try kgate(["gateway", "set", project, "--type", "NodePort", "--http-node-port", "\(ports[0])", "--https-node-port", "\(ports[1])"])
        return (ports[0], ports[1])
    }

    func serve(_ arguments: [String]) throws -> ServeProcess {
        try ServeProcess(arguments: ["serve"] + arguments + ["--workspace", workspace], folder: folder, environment: environment)
    }

    /// The default runtime folder of `project`.
    func runtimeFolder(_ project: String?) throws -> String {
        try RuntimeLocation.folder(workspace: workspace, project: project, environment: environment)
    }

    /// Every file under the workspace with its mode and content: equal before and after
    /// means nothing was written.
    func snapshot() -> [String: String] {
        var files: [String: String] = [:]
        let enumerator = FileManager.default.enumerator(atPath: workspace)
        while let relative = enumerator?.nextObject() as? String {
            let path = "\(workspace)/\(relative)"
            let mode = (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int ?? -1
            let content = FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } ?? "<dir>"
            files[relative] = "\(String(mode, radix: 8)) \(content)"
        }
        return files
    }

    /// Service `echo` in project demo, its endpoint `port` on loopback, and route `echo`,
    /// `echo.example.com/` → `echo`: what the end-to-end tests of `kgate serve`'s traffic and
    /// logs send requests through. The demo's `nginx` endpoint moves to `port` too, unmarked,
    /// so that this gateway does not answer the demo backend on 127.0.0.1:18080, which
    /// another test's gateway may be taking at the same moment.
    static func echoRoute(port: Int) -> [KubeObject] {
        [
            .service(BackendService(metadata: ObjectMeta(name: "echo", namespace: "demo"), ports: [ServicePort(name: "http", port: 8080)])),
            slice("demo", "echo", port: port), slice("demo", "nginx", port: port),
            .route(
                Route(
                    metadata: ObjectMeta(name: "echo", namespace: "demo"),
                    rules: [
                        RouteRule(
                            host: "echo.example.com", paths: [RoutePath(path: "/", pathType: .prefix, backend: RouteBackend(service: "echo", port: 8080))])
                    ])),
        ]
    }

    /// An EndpointSlice for `service` in `project` on a loopback port, marked as the demo's when `pod` is given.
    static func slice(_ project: String, _ service: String, port: Int, demoPod: String? = nil) -> KubeObject {
        .endpoints(
            BackendEndpoints(
                metadata: ObjectMeta(
                    name: "\(service)-local", namespace: project,
                    annotations: demoPod.map { [DemoBackend.annotation: $0] } ?? [:]),
                serviceName: service, addresses: ["127.0.0.1"], ports: [EndpointPort(name: "http", port: port)]))
    }
}
