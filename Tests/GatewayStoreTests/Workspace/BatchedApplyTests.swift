import Foundation
import GatewayKit
import Testing
import TestSupport

@testable import GatewayStore

/// An apply of many objects is made durable with one sync for the batch (issue 15 item 2):
/// every object still lands, and a failure still puts everything back.
@Suite("Batched applies", .serialized)
struct BatchedApplyTests {
    let folder: TemporaryFolder

    init() throws { folder = try TemporaryFolder("batched") }

    func routes(_ count: Int, note: String) -> [KubeObject] {
        (0..<count).map { i in
            .route(
                Route(
                    metadata: ObjectMeta(name: "b\(i)", namespace: "demo", annotations: ["example.com/note": note]),
                    rules: [RouteRule(host: "b\(i).example.com", paths: [RoutePath(path: "/", pathType: .prefix, backend: RouteBackend(service: "web", port: 8080))])]))
        }
    }

    @Test("an apply of more objects than the batch threshold writes every one, and leaves no temporary file")
    func everyObjectLands() async throws {
        let root = folder.file("ws")
        let store = WorkspaceStore(root: root)
        try store.initialize(demo: true)
        let count = BatchSync.threshold * 4
        let outcomes = try await store.apply(routes(count, note: "one"))
        #expect(outcomes.filter { $0.action == .created }.count == count)
        // A new store reads the files, not what the first one remembers.
        let loaded = try await WorkspaceStore(root: root).load()
        let batch = loaded.routes(project: "demo").filter { $0.name.hasPrefix("b") }
        #expect(batch.count == count)
        #expect(batch.allSatisfy { $0.metadata.annotations["example.com/note"] == "one" })
        let leftovers = try FileManager.default.subpathsOfDirectory(atPath: root).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test("a batch that fails at its last step puts back every file it had replaced")
    func batchRollback() async throws {
        let root = folder.file("ws")
        let store = WorkspaceStore(root: root)
        try store.initialize(demo: true)
        _ = try await store.apply(routes(BatchSync.threshold * 2, note: "old"))
        let before = WorkspaceImage(of: root)
        store.failsCommitStep = { path in path.hasSuffix("/.kgate-revision") }
        do {
            _ = try await store.apply(routes(BatchSync.threshold * 2, note: "new"))
            Issue.record("the write succeeded")
        } catch {
            #expect("\(error)".contains(".kgate-revision"), "\(error)")
        }
        let after = WorkspaceImage(of: root)
        #expect(after == before, "changed: \(after.difference(from: before))")
    }

    @Test("a batch sync of a folder that is gone is refused with the folder named")
    func syncOfMissingFolder() {
        let missing = folder.file("gone")
        do {
            try BatchSync.sync(files: [], folders: [missing])
            Issue.record("the sync succeeded")
        } catch {
            #expect("\(error)".contains(missing), "\(error)")
        }
    }
}
