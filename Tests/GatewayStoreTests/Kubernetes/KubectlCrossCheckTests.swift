import ChildProcess
import Foundation
import GatewayKit
import GatewayStore
import Testing
import TestSupport

/// The real kubectl as a second, independent reader of the test API server, over TLS:
/// discovery, get, list, watch, create, replace, patch, server-side apply and delete. Each
/// answer kubectl accepts is one the real API could have given, so kgate's tests, which
/// run against this server, test against the real wire format.
@Suite("kubectl against the test API server")
struct KubectlCrossCheckTests {
    let folder: TemporaryFolder

    init() throws { folder = try TemporaryFolder("kubectl-cross-check") }

    @Test("get and list through discovery: kubectl reads the seeded objects")
    func readVerbs() async throws {
        let server = try await Self.start()
        defer { Task { await server.stop() } }
        let kubeconfig = try server.kubeconfig(token: KubeFixture.token, cluster: server.authority)
        let namespaces = try kubectl(kubeconfig, ["get", "namespaces", "-o", "name"])
        #expect(namespaces.succeeded, "\(namespaces)")
        #expect(namespaces.outputText.split(separator: "\n").contains("namespace/shop"), "\(namespaces)")
        let ingresses = try kubectl(kubeconfig, ["get", "ingresses", "-A", "-o", "jsonpath={.items[*].metadata.name}"])
        #expect(ingresses.succeeded && ingresses.outputText.contains("storefront"), "\(ingresses)")
        let one = try kubectl(kubeconfig, ["get", "ingress", "storefront", "-n", "shop", "-o", "jsonpath={.spec.rules[0].host}"])
        #expect(one.succeeded && one.outputText == "shop.example.com", "\(one)")
        let gateways = try kubectl(kubeconfig, ["get", "gateways.gateway.kubesphere.io", "-A", "-o", "name"])
        #expect(gateways.succeeded && !gateways.outputText.isEmpty, "\(gateways)")
        let missing = try kubectl(kubeconfig, ["get", "ingress", "nothing", "-n", "shop"])
        #expect(!missing.succeeded && missing.errorText.contains("NotFound"), "\(missing)")
    }

    @Test("create, replace, patch, server-side apply and delete: kubectl accepts every answer")
    func writeVerbs() async throws {
        let server = try await Self.start()
        defer { Task { await server.stop() } }
        let kubeconfig = try server.kubeconfig(token: KubeFixture.token, cluster: server.authority)
        try folder.write("ingress.yaml", Self.ingress(host: "one.example.com"))
        // --validate=false: the test server serves no OpenAPI schema for kubectl to check against.
        let created = try kubectl(kubeconfig, ["create", "--validate=false", "-f", folder.file("ingress.yaml")])
        #expect(created.succeeded && created.outputText.contains("ingress.networking.k8s.io/checked created"), "\(created)")
        try folder.write("ingress.yaml", Self.ingress(host: "two.example.com"))
        let replaced = try kubectl(kubeconfig, ["replace", "--validate=false", "-f", folder.file("ingress.yaml")])
        #expect(replaced.succeeded && replaced.outputText.contains("replaced"), "\(replaced)")
        let patched = try kubectl(kubeconfig, [
            "patch", "ingress", "checked", "-n", "demo", "--type=merge", "-p", #"{"metadata":{"annotations":{"kubesphere.io/alias-name":"Patched"}}}"#,
        ])
        #expect(patched.succeeded && patched.outputText.contains("patched"), "\(patched)")
        try folder.write("ingress.yaml", Self.ingress(host: "three.example.com"))
        // The rules belong to kubectl-replace: applying other ones is a conflict, as on a
        // real API server, until the applier forces it.
        let conflicting = try kubectl(kubeconfig, ["apply", "--server-side", "--validate=false", "--field-manager=cross-check", "-f", folder.file("ingress.yaml")])
        #expect(!conflicting.succeeded && conflicting.errorText.contains("conflict"), "\(conflicting)")
        let applied = try kubectl(kubeconfig, [
            "apply", "--server-side", "--force-conflicts", "--validate=false", "--field-manager=cross-check", "-f", folder.file("ingress.yaml"),
        ])
        #expect(applied.succeeded && applied.outputText.contains("serverside-applied"), "\(applied)")
        let stored = try kubectl(kubeconfig, [
            "get", "ingress", "checked", "-n", "demo", "-o", #"jsonpath={.spec.rules[0].host} {.metadata.annotations.kubesphere\.io/alias-name}"#,
        ])
        #expect(stored.outputText == "three.example.com Patched", "\(stored)")
        let deleted = try kubectl(kubeconfig, ["delete", "ingress", "checked", "-n", "demo"])
        #expect(deleted.succeeded && deleted.outputText.contains("deleted"), "\(deleted)")
        #expect(server.cluster.object(resource("Ingress"), namespace: "demo", name: "checked") == nil)
    }

    @Test("watch: kubectl follows a change made on the server")
    func watchVerb() async throws {
        let server = try await Self.start()
        defer { Task { await server.stop() } }
        let kubeconfig = try server.kubeconfig(token: KubeFixture.token, cluster: server.authority)
        let watchers = server.cluster.watcherCount
        let watch = try Kubectl.start(
            kubeconfig: kubeconfig,
            ["get", "ingress", "storefront", "-n", "shop", "--watch", "-o", #"jsonpath={.metadata.annotations.kubesphere\.io/alias-name}{"\n"}"#],
            home: folder, output: folder.file("watch.out"))
        defer { _ = watch.stop(grace: 1) }
        // Once kubectl watches, a change on the server must reach it.
        #expect(await eventually(60) { server.cluster.watcherCount > watchers }, "\(folder.read("watch.out.err") ?? "")")
        server.cluster.modify(resource("Ingress"), namespace: "shop", name: "storefront") { value in
            value.set(["metadata", "annotations", "kubesphere.io/alias-name"], .string("Watched"))
        }
        let seen = await eventually(30) { (folder.read("watch.out") ?? "").split(separator: "\n").contains("Watched") }
        #expect(seen, "\(folder.read("watch.out") ?? "")\n\(folder.read("watch.out.err") ?? "")")
    }

    // MARK: Helpers

    static func start() async throws -> TestAPIServer {
        let cluster = TestCluster()
        cluster.expectedToken = KubeFixture.token
        try KubeFixture.seedDemo(into: cluster)
        return try await TestAPIServer.start(cluster, tls: try KubeFixture.sharedTLS())
    }

    func kubectl(_ kubeconfig: String, _ arguments: [String], timeout: Double = 60) throws -> ChildProcess.Outcome {
        try Kubectl.run(kubeconfig: kubeconfig, arguments, home: folder, timeout: timeout)
    }

    static func ingress(host: String) -> String {
        """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: checked
          namespace: demo
        spec:
          rules:
          - host: \(host)
            http:
              paths:
              - path: /
                pathType: Prefix
                backend:
                  service:
                    name: web
                    port:
                      number: 80

        """
    }
}
