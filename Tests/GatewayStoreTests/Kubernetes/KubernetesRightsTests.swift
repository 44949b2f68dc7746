import Foundation
import GatewayKit
import GatewayStore
import Testing

/// Lists as large clusters and limited users make them: paged with limit/continue, a
/// forgotten continue token starting the list over, a kind the user may not read shown
/// as a warning (never a problem: those are broken manifests), and a project admin's cluster-wide refusals answered namespace by namespace.
@Suite("Kubernetes store: paging and limited rights")
struct KubernetesRightsTests {
    @Test("pages of two items give the same inventory as one page; an expired continue token (410) lists again")
    func paging() async throws {
        let fixture = try await KubeFixture.start()
        defer { Task { await fixture.stop() } }
        let whole = try await fixture.store.load()
        fixture.cluster.pageLimit = 2
        let paged = try await Self.freshStore(fixture).load()
        #expect(paged == whole)
        #expect(fixture.cluster.requests.contains { $0.query["continue"] != nil })
        fixture.cluster.expireNextContinue = true
        let before = fixture.cluster.requests.count
        #expect(try await Self.freshStore(fixture).load() == whole)
        #expect(!fixture.cluster.expireNextContinue, "no continue token was refused")
        #expect(fixture.cluster.requests.count > before)
    }

    @Test("a kind the user may not list (nodes, secrets) is a warning naming the refusal, not a problem; the rest loads")
    func forbiddenKind() async throws {
        let fixture = try await KubeFixture.start { $0.forbidden = [["list", "nodes"], ["list", "secrets"]] }
        defer { Task { await fixture.stop() } }
        let inventory = try await fixture.store.load()
        #expect(inventory.problems.isEmpty, "\(inventory.problems)")
        let nodes = try #require(inventory.warnings.first { $0.hasPrefix("nodes: not shown: ") }, "\(inventory.warnings)")
        #expect(nodes.contains("may not list nodes"), "\(nodes)")
        #expect(inventory.warnings.contains { $0.hasPrefix("secrets: ") && $0.contains("secrets") }, "\(inventory.warnings)")
        #expect(inventory.gateway(project: "shop") != nil && inventory.route(project: "demo", name: "demo") != nil)
    }

    @Test("a project admin: cluster-wide lists refused, the context's namespace read and listed in")
    func projectAdmin() async throws {
        let fixture = try await KubeFixture.start { cluster in
            cluster.forbidden = Set([["list", "namespaces"], ["list", "nodes"]]).union(
                ["services", "endpointslices", "secrets", "ingresses", "gateways", "eips"].map { ["list", $0, "cluster"] })
        }
        defer { Task { await fixture.stop() } }
        let inventory = try await fixture.store.load()
        // The kubeconfig's context names namespace demo.
        #expect(inventory.userProjects.map(\.name) == ["demo"])
        #expect(inventory.route(project: "demo", name: "demo") != nil)
        #expect(inventory.route(project: "shop", name: "storefront") == nil)
        #expect(inventory.problems.isEmpty, "\(inventory.problems)")
        #expect(inventory.warnings.contains { $0.hasPrefix("nodes: not shown: ") }, "\(inventory.warnings)")
        #expect(inventory.warnings.contains { $0.hasPrefix("namespaces: only namespaces demo are shown") }, "\(inventory.warnings)")
    }

    /// A store of its own on the fixture's server: its load lists again, without a cache.
    static func freshStore(_ fixture: KubeFixture) throws -> KubernetesStore {
        try KubernetesStore(connection: fixture.store.connection)
    }
    // Older clusters (v1beta1 Ingresses, v1 Endpoints): OldClusterTests.
}
