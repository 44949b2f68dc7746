import Foundation
import Testing
import TestSupport

/// Issue 11 item 1: the kubeconfig context's `namespace` is the default project, as kubectl
/// uses it for `-n`: a command that takes a project and is given none acts on it.
@Suite("The context's namespace as the default project")
struct ContextNamespaceTests {
    /// The test server's kubeconfig, its context's namespace set to `namespace`.
    static func kubeconfig(_ server: TestAPIServer, namespace: String) throws -> String {
        let path = try server.kubeconfig(token: KubeFixture.token, cluster: server.authority)
        let text = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "namespace: demo", with: "namespace: \(namespace)")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("gateway show, routes, route show and render without a project act on the context's namespace")
    func commandsUseTheContextNamespace() async throws {
        let server = try await KubeFixture.server(expectingToken: KubeFixture.token)
        defer { Task { await server.stop() } }
        let shop = try Self.kubeconfig(server, namespace: "shop")

        let gateway = try KGateProcess.run(["gateway", "show", "--kubeconfig", shop])
        #expect(gateway.status == 0, "\(gateway)")
        #expect(gateway.stdout.contains("Project") && gateway.stdout.contains("shop") && gateway.stdout.contains("31080"), "\(gateway)")

        let routes = try KGateProcess.run(["routes", "--kubeconfig", shop])
        #expect(routes.status == 0, "\(routes)")
        #expect(routes.stdout.contains("storefront") && !routes.stdout.contains("edge-api"), "\(routes)")

        // One argument is the route, in the context's namespace.
        let route = try KGateProcess.run(["route", "show", "storefront", "--kubeconfig", shop])
        #expect(route.status == 0, "\(route)")
        #expect(route.stdout.contains("Project") && route.stdout.contains("shop"), "\(route)")
        // Both still name them explicitly, whatever the context says.
        let explicit = try KGateProcess.run(["route", "show", "demo", "demo", "--kubeconfig", shop])
        #expect(explicit.status == 0 && explicit.stdout.contains("demo"), "\(explicit)")

        let render = try KGateProcess.run(["render", "--kubeconfig", shop])
        #expect(render.status == 0, "\(render)")
        #expect(render.stdout.contains("namespace: shop") && !render.stdout.contains("namespace: demo"), "\(render)")

        // Another context, another default: the demo project.
        let demo = try KGateProcess.run(["routes", "--kubeconfig", try Self.kubeconfig(server, namespace: "demo")])
        #expect(demo.status == 0 && demo.stdout.contains("demo") && !demo.stdout.contains("storefront"), "\(demo)")
    }

    @Test("a context without a namespace means `default`, as for kubectl, and a missing one is reported as such")
    func noNamespaceIsDefault() async throws {
        let server = try await KubeFixture.server(expectingToken: KubeFixture.token)
        defer { Task { await server.stop() } }
        let path = try server.kubeconfig(token: KubeFixture.token, cluster: server.authority)
        let text = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "    namespace: demo\n", with: "")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try KGateProcess.run(["routes", "--kubeconfig", path])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("Namespace default"), "\(result)")
    }

    @Test("a workspace has no default project: the error names the argument and why")
    func workspaceNeedsAProject() throws {
        let folder = try TemporaryFolder.withDemoWorkspace("no-project")
        let result = try KGateProcess.run(["routes", "--workspace", folder.file("ws")])
        #expect(result.status != 0, "\(result)")
        #expect(result.stderr.contains("<project>: Required value"), "\(result)")
        let route = try KGateProcess.run(["route", "show", "--workspace", folder.file("ws")])
        #expect(route.status != 0 && route.stderr.contains("<name>: Required value: name the route"), "\(route)")
    }
}
