import GatewayKit
import TestSupport
import Testing

/// The demo workspace with its gateway on the given node ports and one route,
/// `echo.example.com/` → Service `echo`, whose endpoint is `echoPort` on loopback: what the
/// end-to-end tests of `kgate serve`'s traffic and logs send requests through.
enum EchoDemoWorkspace {
    static func prepare(_ workspace: TemporaryFolder, httpNodePort: Int, httpsNodePort: Int, echoPort: Int) throws {
        try run(["init", "--demo", "--node-port-range", "1024-65535"], workspace)
        try run(["gateway", "set", "demo", "--type", "NodePort", "--http-node-port", "\(httpNodePort)", "--https-node-port", "\(httpsNodePort)"], workspace)
        try run(["apply", "-f", "-"], workspace, input: ManifestRenderer.yaml([
            .service(BackendService(metadata: ObjectMeta(name: "echo", namespace: "demo"), ports: [ServicePort(name: "http", port: 8080)])),
            .endpoints(BackendEndpoints(
                metadata: ObjectMeta(name: "echo-local", namespace: "demo"), serviceName: "echo",
                addresses: ["127.0.0.1"], ports: [EndpointPort(name: "http", port: echoPort)])),
            .route(Route(
                metadata: ObjectMeta(name: "echo", namespace: "demo"),
                rules: [RouteRule(host: "echo.example.com", paths: [RoutePath(path: "/", pathType: .prefix, backend: RouteBackend(service: "echo", port: 8080))])])),
        ]))
    }

    private static func run(_ arguments: [String], _ workspace: TemporaryFolder, input: String? = nil) throws {
        let result = try KGateProcess.run(arguments + ["--workspace", workspace.path], input: input)
        try #require(result.status == 0, "kgate \(arguments.joined(separator: " ")): \(result)")
    }
}
