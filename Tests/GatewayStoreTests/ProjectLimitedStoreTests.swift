import GatewayKit
import GatewayStore
import Testing
import TestSupport

/// The store an SSH key with `projects=` works on: its projects only, reads and writes.
@Suite struct ProjectLimitedStoreTests {
    @Test func onlyTheKeysProjectsLoadAndWritesElsewhereAreForbidden() async throws {
        let folder = try TemporaryFolder.withDemoWorkspace("limited")
        let store = ProjectLimitedStore(WorkspaceStore(root: folder.workspace), projects: ["shop"])
        let inventory = try await store.load()
        #expect(inventory.projects.map(\.name) == ["shop"])
        #expect(!inventory.routes.isEmpty && inventory.routes.allSatisfy { $0.namespace == "shop" })
        #expect(inventory.gateways.allSatisfy { $0.project == "shop" })
        await #expect(throws: StoreError.forbidden(reason: "gateway in project demo: this session may change only projects shop")) {
            try await store.deleteGateway(project: "demo")
        }
        await #expect(throws: StoreError.forbidden(reason: "route demo in project demo: this session may change only projects shop")) {
            try await store.deleteRoute(project: "demo", name: "demo")
        }
        // Nothing was deleted behind the refusal.
        let all = try await WorkspaceStore(root: folder.workspace).load()
        #expect(all.routes.contains { $0.namespace == "demo" && $0.name == "demo" })
    }

    @Test func gatewayAPIObjectsOfOtherProjectsAreNeitherShownNorWritten() async throws {
        let folder = try TemporaryFolder.withDemoWorkspace("limited")
        let workspace = WorkspaceStore(root: folder.workspace)
        let everything = try await workspace.load()
        for project in ["demo", "shop"] {
            let text = GatewayAPIRenderer.yaml(GatewayAPIConversion.convert(everything, project: project))
            _ = try await workspace.apply(ManifestParser.parse(text, source: project).objects)
        }
        let store = ProjectLimitedStore(workspace, projects: ["shop"])
        let inventory = try await store.load()
        #expect(!inventory.gatewayAPI.isEmpty)
        #expect(inventory.gatewayAPI.allSatisfy { $0.metadata.namespace == "shop" || $0.metadata.name == "kubesphere-router-shop" })
        let text = GatewayAPIRenderer.yaml(GatewayAPIConversion.convert(everything, project: "demo"))
        await #expect {
            try await store.apply(ManifestParser.parse(text, source: "demo").objects)
        } throws: { error in
            guard case StoreError.forbidden(let reason) = error else { return false }
            return reason.contains("in project demo: this session may change only projects shop")
        }
    }
}
