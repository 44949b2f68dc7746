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
}
