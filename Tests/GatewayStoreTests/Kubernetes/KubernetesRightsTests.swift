import Foundation
import GatewayKit
import GatewayStore
import Testing

/// Lists as large clusters and limited users make them: paged with limit/continue, a
/// forgotten continue token starting the list over, a kind the user may not read shown
/// as a problem, and a project admin's cluster-wide refusals answered namespace by namespace.
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

    @Test("a kind the user may not list (nodes) is a problem naming the refusal; the rest loads")
    func forbiddenKind() async throws {
        let fixture = try await KubeFixture.start { $0.forbidden = [["list", "nodes"]] }
        defer { Task { await fixture.stop() } }
        let inventory = try await fixture.store.load()
        let problem = try #require(inventory.problems.first { $0.source == "nodes" })
        #expect(problem.description.contains("may not list nodes"), "\(problem)")
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
        let sources = Set(inventory.problems.map(\.source))
        #expect(sources.isSuperset(of: ["namespaces", "nodes"]), "\(inventory.problems)")
        #expect(inventory.problems.first { $0.source == "namespaces" }?.description.contains("only namespaces demo are shown") == true)
    }

    /// A store of its own on the fixture's server: its load lists again, without a cache.
    static func freshStore(_ fixture: KubeFixture) throws -> KubernetesStore {
        try KubernetesStore(connection: fixture.store.connection)
    }

    @Test("a cluster without networking.k8s.io/v1 Ingress (before 1.19) is refused with the version it needs")
    func oldIngress() async throws {
        let fixture = try await KubeFixture.start(seed: false) { $0.notServed = ["ingresses"] }
        defer { Task { await fixture.stop() } }
        await expectStoreError({ try await fixture.store.load() }) { error in
            "\(error)".contains("does not serve Ingress in networking.k8s.io/v1") && "\(error)".contains("Kubernetes 1.19 or later")
        }
    }

    @Test("a cluster without discovery.k8s.io/v1 EndpointSlices (before 1.21) loads, saying what is not shown")
    func oldEndpointSlices() async throws {
        let fixture = try await KubeFixture.start { $0.notServed = ["endpointslices"] }
        defer { Task { await fixture.stop() } }
        let inventory = try await fixture.store.load()
        #expect(inventory.gateway(project: "shop") != nil && inventory.route(project: "demo", name: "demo") != nil)
        let notice = try #require(inventory.problems.first { $0.source == "endpointslices.discovery.k8s.io" })
        #expect(notice.description.contains("Kubernetes 1.21"))
        #expect(!fixture.cluster.requests.contains { $0.path.contains("endpointslices") })
    }
}
