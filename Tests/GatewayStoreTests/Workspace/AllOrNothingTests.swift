import Foundation
import GatewayKit
import Testing
import TestSupport

@testable import GatewayStore

#if canImport(Glibc)
    import Glibc
#endif

/// A refused or failed write leaves every file of the workspace as it was (issue 7 item 4).
@Suite("Workspace writes are all or nothing", .serialized)
struct AllOrNothingTests {
    let folder: TemporaryFolder

    init() throws { folder = try TemporaryFolder("atomic") }

    func demoStore(at root: String) throws -> WorkspaceStore {
        let store = WorkspaceStore(root: root)
        try store.initialize(demo: true)
        return store
    }

    func route(_ name: String, annotation: String = "") -> KubeObject {
        .route(
            Route(
                metadata: ObjectMeta(name: name, namespace: "demo", annotations: ["example.com/note": annotation + "x"]),
                rules: [RouteRule(host: "\(name).example.com", paths: [RoutePath(path: "/", pathType: .prefix, backend: RouteBackend(service: "web", port: 8080))])]))
    }

    /// Expects `body` to be refused as unavailable for a reason containing `containing`,
    /// with every file below `root` as it was.
    func expectNothingWritten(
        in root: String, refusedFor containing: String, _ body: () async throws(StoreError) -> Void
    ) async {
        let before = WorkspaceImage(of: root)
        await expectUnavailable(containing, body)
        let after = WorkspaceImage(of: root)
        #expect(after == before, "changed: \(after.difference(from: before))")
    }

    func expectUnavailable(_ containing: String, _ body: () async throws(StoreError) -> Void) async {
        do {
            try await body()
            Issue.record("the write succeeded")
        } catch {
            guard case .unavailable(let reason) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(reason.contains(containing), "\(reason)")
        }
    }

    @Test("a folder in the way of the gateway's Service: the Gateway CR is not written either")
    func folderInTheWay() async throws {
        let root = folder.file("ws")
        let store = try demoStore(at: root)
        try FileManager.default.createDirectory(
            atPath: "\(root)/kubesphere-controls-system/service-kubesphere-router-demo.yaml", withIntermediateDirectories: true)
        await expectNothingWritten(in: root, refusedFor: "a folder is in the way") { () throws(StoreError) in
            _ = try await store.setGateway(GatewayRequest(project: "demo", type: .nodePort))
        }
    }

    @Test("a folder in the way of the second route of an apply: the first is not written either")
    func folderInTheWayOfApply() async throws {
        let root = folder.file("ws")
        let store = try demoStore(at: root)
        try FileManager.default.createDirectory(atPath: "\(root)/demo/ingress-b.yaml", withIntermediateDirectories: true)
        await expectNothingWritten(in: root, refusedFor: "a folder is in the way") { () throws(StoreError) in
            _ = try await store.apply([route("a"), route("b")])
        }
    }

    @Test("a full tmpfs: an apply of two routes whose second does not fit writes neither")
    func fullDisk() async throws {
        let mountPoint = folder.file("small")
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        // Mounting needs root (CAP_SYS_ADMIN), as these tests run here; elsewhere this fails loudly.
        try #require(try runTool("/bin/mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", mountPoint]) == 0, "cannot mount a tmpfs (root needed)")
        defer { _ = try? runTool("/bin/umount", [mountPoint]) }
        let root = mountPoint + "/ws"
        let store = try demoStore(at: root)
        // Fill the disk, then free two pages: room for the small route, not the large one.
        var fillers: [String] = []
        let page = String(repeating: "x", count: 4096)
        while FileManager.default.createFile(atPath: "\(mountPoint)/filler-\(fillers.count)", contents: Data(page.utf8)) {
            fillers.append("\(mountPoint)/filler-\(fillers.count)")
        }
        unlink("\(mountPoint)/filler-\(fillers.count)")
        for filler in fillers.suffix(2) { unlink(filler) }
        await expectNothingWritten(in: root, refusedFor: "No space left on device") { () throws(StoreError) in
            _ = try await store.apply([route("a"), route("z", annotation: String(repeating: "n", count: 60_000))])
        }
    }

    @Test("an immutable (read-only) file among the objects of an apply: nothing is written")
    func readOnlyFile() async throws {
        let root = folder.file("ws")
        let store = try demoStore(at: root)
        let locked = "\(root)/demo/ingress-demo.yaml"
        // chattr +i makes the file read-only even for root, which ignores modes.
        try #require(try runTool("/usr/bin/chattr", ["+i", locked]) == 0, "chattr +i needs root on ext4")
        defer { _ = try? runTool("/usr/bin/chattr", ["-i", locked]) }
        var demo = try #require(try await store.load().route(project: "demo", name: "demo"))
        demo.alias = "changed"
        demo.metadata.resourceVersion = nil
        await expectNothingWritten(in: root, refusedFor: "ingress-demo.yaml") { () throws(StoreError) in
            _ = try await store.apply([route("a"), .route(demo)])
        }
    }

    @Test("a commit that fails at its last step puts back every file it had replaced")
    func rollback() async throws {
        let root = folder.file("ws")
        let store = try demoStore(at: root)
        _ = try await store.setGateway(GatewayRequest(project: "demo", type: .nodePort))
        store.failsCommitStep = { path in path.hasSuffix("/.kgate-revision") }
        await expectNothingWritten(in: root, refusedFor: ".kgate-revision") { () throws(StoreError) in
            _ = try await store.setGateway(GatewayRequest(project: "demo", type: .loadBalancer))
        }
        let leftovers = try FileManager.default.subpathsOfDirectory(atPath: root).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test("a lock file that is a symlink is refused, and nothing is created where it points")
    func symlinkedLock() async throws {
        let root = folder.file("ws")
        let store = try demoStore(at: root)
        unlink("\(root)/.kgate.lock")
        let target = folder.file("elsewhere")
        #expect(symlink(target, "\(root)/.kgate.lock") == 0)
        await expectUnavailable("is a symlink") { () throws(StoreError) in
            _ = try await store.setGateway(GatewayRequest(project: "demo", type: .nodePort))
        }
        #expect(!FileManager.default.fileExists(atPath: target))
    }

    @Test("reads and writes run on the file-work threads, not on the cooperative pool")
    func offThePool() async throws {
        let root = folder.file("ws")
        let store = try demoStore(at: root)
        let seen = Locked<[Bool]>([])
        store.failsCommitStep = { _ in
            seen.update { $0.append(BlockingFileWork.isCurrent) }
            return false
        }
        _ = try await store.setGateway(GatewayRequest(project: "demo", type: .nodePort))
        #expect(!seen.value.isEmpty && seen.value.allSatisfy { $0 }, "\(seen.value)")
        #expect(!BlockingFileWork.isCurrent)
    }
}

/// A value shared with a `@Sendable` closure.
final class Locked<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value { lock.withLock { stored } }
    func update(_ body: (inout Value) -> Void) { lock.withLock { body(&stored) } }
}
