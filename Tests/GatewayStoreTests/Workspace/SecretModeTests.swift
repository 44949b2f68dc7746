import Foundation
import GatewayKit
import GatewayStore
import Testing
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// Secret manifests hold private keys: the owner's alone on disk (issue 7 item 5).
@Suite("Secret files are the owner's alone")
struct SecretModeTests {
    let workspace: DemoWorkspaceFixture
    var folder: TemporaryFolder { workspace.folder }
    var store: WorkspaceStore { workspace.store }
    var root: String { workspace.root }

    init() throws { workspace = try DemoWorkspaceFixture("secrets") }

    func mode(_ path: String) -> mode_t {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_mode & 0o7777 : 0
    }

    @Test("a Secret is written 0600 in a 0700 folder; other manifests stay 0644")
    func modes() async throws {
        let inventory = try await store.load()
        var secret = try #require(inventory.secrets(project: "shop").first)
        secret.metadata.name = "again-tls"
        secret.metadata.resourceVersion = nil
        _ = try await store.apply([.secret(secret)])
        #expect(mode("\(root)/shop/secret-again-tls.yaml") == 0o600)
        #expect(mode("\(root)/demo/secret-demo-tls.yaml") == 0o600)
        #expect(mode("\(root)/shop") == 0o700)
        #expect(mode("\(root)/shop/service-frontend.yaml") == 0o644)
    }

    @Test("a Secret file readable by others is reported with its path and mode")
    func looseSecret() async throws {
        #expect(chmod("\(root)/demo/secret-demo-tls.yaml", 0o644) == 0)
        let warnings = try await store.load().warnings
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("demo/secret-demo-tls.yaml") == true, "\(warnings)")
        #expect(warnings.first?.contains("644") == true, "\(warnings)")
    }
}
