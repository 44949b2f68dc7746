import Foundation
import GatewayKit
import GatewayStore
import Testing
import TestSupport

/// The workspace store keeps what kgate does not model, and refuses to rewrite a file
/// written by hand in a way its rewrite would lose (issue 7 item 12).
@Suite("Workspace saves keep what kgate does not show")
struct KeepUnmodeledTests {
    let workspace: DemoWorkspaceFixture
    var folder: TemporaryFolder { workspace.folder }
    var store: WorkspaceStore { workspace.store }
    var root: String { workspace.root }

    init() throws { workspace = try DemoWorkspaceFixture("unmodeled") }

    @Test("a route updated through the store keeps its finalizers and unknown fields")
    func routeUpdate() async throws {
        let path = "\(root)/demo/ingress-demo.yaml"
        let original = try #require(folder.read("ws/demo/ingress-demo.yaml"))
        let extended = original.replacingOccurrences(
            of: "  namespace: demo\n", with: "  namespace: demo\n  finalizers:\n  - example.com/keep\n")
            .replacingOccurrences(of: "spec:\n", with: "spec:\n  futureField: value\n")
        #expect(extended != original)
        try Data(extended.utf8).write(to: URL(fileURLWithPath: path))
        var route = try #require(try await store.load().route(project: "demo", name: "demo"))
        route.alias = "Edited"
        _ = try await store.updateRoute(route)
        let saved = try #require(folder.read("ws/demo/ingress-demo.yaml"))
        #expect(saved.contains("example.com/keep"), "\(saved)")
        #expect(saved.contains("futureField: value"), "\(saved)")
        #expect(saved.contains("Edited"))
    }

    @Test("a route rebuilt from a form (no stored manifest) keeps the stored object's unknown fields")
    func routeFromForm() async throws {
        let original = try #require(folder.read("ws/demo/ingress-demo.yaml"))
        try folder.write(
            "ws/demo/ingress-demo.yaml",
            original.replacingOccurrences(of: "  namespace: demo\n", with: "  namespace: demo\n  finalizers:\n  - example.com/keep\n"))
        let stored = try #require(try await store.load().route(project: "demo", name: "demo"))
        let rebuilt = Route(metadata: stored.metadata, rules: stored.rules, tls: stored.tls)
        #expect(rebuilt.stored.value == nil)
        _ = try await store.updateRoute(rebuilt)
        #expect(folder.read("ws/demo/ingress-demo.yaml")?.contains("example.com/keep") == true)
    }

    @Test("a gateway set keeps the labels of its CR and the unknown fields of its Service")
    func gatewaySet() async throws {
        _ = try await store.setGateway(GatewayRequest(project: "demo", type: .nodePort))
        let crPath = "ws/kubesphere-controls-system/gateway-kubesphere-router-demo.yaml"
        let servicePath = "ws/kubesphere-controls-system/service-kubesphere-router-demo.yaml"
        let cr = try #require(folder.read(crPath)).replacingOccurrences(
            of: "  namespace: kubesphere-controls-system\n", with: "  namespace: kubesphere-controls-system\n  labels:\n    owner: ops\n")
        try folder.write(crPath, cr)
        let service = try #require(folder.read(servicePath)).replacingOccurrences(
            of: "spec:\n", with: "spec:\n  sessionAffinity: ClientIP\n")
        try folder.write(servicePath, service)
        _ = try await store.setGateway(GatewayRequest(project: "demo", type: .loadBalancer))
        #expect(folder.read(crPath)?.contains("owner: ops") == true, "\(folder.read(crPath) ?? "")")
        #expect(folder.read(crPath)?.contains("LoadBalancer") == true)
        #expect(folder.read(servicePath)?.contains("sessionAffinity: ClientIP") == true, "\(folder.read(servicePath) ?? "")")
    }

    @Test("an applied Gateway manifest keeps its labels and unknown spec fields")
    func gatewayApply() async throws {
        let (objects, problems) = ManifestParser.parse(UnmodeledManifests.gateway, source: "gateway.yaml")
        #expect(problems.isEmpty, "\(problems)")
        _ = try await store.apply(objects)
        let saved = folder.read("ws/kubesphere-controls-system/gateway-kubesphere-router-demo.yaml") ?? ""
        #expect(saved.contains("owner: ops") && saved.contains("tag: v1.1.0"), "\(saved)")
    }

    @Test("a hand-written file with comments is not rewritten: the reason is given and the file is as it was")
    func commentsRefused() async throws {
        let original = try #require(folder.read("ws/demo/ingress-demo.yaml"))
        let commented = "# written by hand\n" + original
        try folder.write("ws/demo/ingress-demo.yaml", commented)
        var route = try #require(try await store.load().route(project: "demo", name: "demo"))
        #expect(await store.rewriteLosses(of: .route(route)) == ["it has comments"])
        route.alias = "Edited"
        await #expect {
            try await store.updateRoute(route)
        } throws: { error in
            guard case StoreError.unavailable(let reason) = error else { return false }
            return reason.contains("demo/ingress-demo.yaml") && reason.contains("it has comments")
        }
        #expect(folder.read("ws/demo/ingress-demo.yaml") == commented)
    }
}
