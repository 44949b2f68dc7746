import Foundation
import GatewayKit

/// The embedded workspace: a folder of Kubernetes manifests, one object a file, that kgate
/// treats as its cluster. Every manifest is one `kubectl apply -R -f` would accept, so a
/// workspace doubles as a GitOps folder.
///
/// Writes are atomic and made under an exclusive lock; each write re-reads what it
/// depends on, so that two kgate processes never lose an update, and an update from a
/// stale `resourceVersion` is refused as a conflict.
public final class WorkspaceStore: ObjectStore, @unchecked Sendable {
    public let root: String
    public let isReadOnly: Bool
    public var location: String { "workspace \(root)" }

    let layout: WorkspaceLayout
    let reader: WorkspaceReader
    /// Test seam: makes the commit step on a path fail, to show the rollback.
    var failsCommitStep: (@Sendable (String) -> Bool)?

    public init(root: String, readOnly: Bool = false) {
        self.root = root
        self.isReadOnly = readOnly
        self.layout = WorkspaceLayout(root: root)
        self.reader = WorkspaceReader(layout: layout, writesIndex: !readOnly)
    }

    /// A file modified less than this before a read is checked by its bytes on every read
    /// (see `WorkspaceIndex.racyWindow`); older ones are taken from the index by their stamp.
    public static let settlingTime = Duration.nanoseconds(WorkspaceIndex.racyWindow)
    /// The derived index at the workspace's root (`WorkspaceIndex`): never needed, rebuilt
    /// when missing.
    public static let indexFileName = WorkspaceIndex.fileName

    /// Whether `root` holds a workspace already (its settings file or any manifest).
    public static func exists(at root: String) -> Bool {
        guard Path.isDirectory(root) else { return false }
        switch FolderListing.names(in: root) {
        case .success(let names): return names.contains { !$0.hasPrefix(".") }
        case .failure: return true  // unknown is not empty: never initialize over it
        }
    }

    public func load() async throws(StoreError) -> Inventory {
        guard Path.isDirectory(root) else {
            throw .unavailable(reason: "no workspace at \(root) (run `kgate init` to create one)")
        }
        return try await BlockingFileWork.run { [reader] in reader.read().inventory }
    }

    public func changes() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let watcher = FolderWatcher(root: root) { [reader] change in
            // Noted before the yield: the load the yield brings reads what changed.
            reader.note(change)
            continuation.yield()
        }
        if watcher.start() {
            let watch = reader.watchStarted(caughtUp: { watcher.caughtUp() })
            continuation.onTermination = { [reader] _ in
                watcher.stop()
                reader.watchStopped(watch)
            }
        } else {
            continuation.finish()
        }
        return stream
    }

    // MARK: Writes

    public func apply(_ objects: [KubeObject]) async throws(StoreError) -> [ApplyOutcome] {
        try await write { transaction throws(StoreError) in try transaction.apply(objects) }
    }

    public func setGateway(_ request: GatewayRequest) async throws(StoreError) -> GatewayChange {
        try await write { transaction throws(StoreError) in try transaction.setGateway(request) }
    }

    public func deleteGateway(project: String) async throws(StoreError) {
        try await write { transaction throws(StoreError) in try transaction.deleteGateway(project: project) }
    }

    public func createRoute(_ route: Route) async throws(StoreError) -> Route {
        try await write { transaction throws(StoreError) in try transaction.createRoute(route) }
    }

    public func updateRoute(_ route: Route) async throws(StoreError) -> Route {
        try await write { transaction throws(StoreError) in try transaction.updateRoute(route) }
    }

    public func deleteRoute(project: String, name: String) async throws(StoreError) {
        try await write { transaction throws(StoreError) in
            try transaction.delete(ObjectKey(kind: "Ingress", namespace: project, name: name))
        }
    }

    /// Creates the workspace folder with its settings, and with the demo objects when
    /// `demo` is set. Refuses a folder that holds a workspace already.
    public func initialize(demo: Bool, settings: WorkspaceSettings = WorkspaceSettings()) throws(StoreError) {
        guard !isReadOnly else { throw .forbidden(reason: WorkspaceStore.readOnlyReason) }
        if WorkspaceStore.exists(at: root) {
            throw .alreadyExists(object: "workspace \(root)")
        }
        try Path.makeFolders(root)
        _ = try writeLocked { transaction throws(StoreError) in
            try transaction.apply([.settings(settings)] + (demo ? DemoWorkspace.objects(settings: settings) : []))
        }
    }

    /// Why saving `object` would lose comments or layout of its file (empty when it would
    /// not): for the console to ask before a save that the store would refuse.
    public func rewriteLosses(of object: KubeObject) async -> [String] {
        let read = try? await BlockingFileWork.run { [reader, layout] () -> [String] in
            guard let source = reader.read().sources[ObjectKey(object)] else { return [] }
            return WorkspaceReader.rewriteLosses(ofFile: source, layout: layout)
        }
        return read ?? []
    }

    static let readOnlyReason = "kgate runs read-only (--read-only): nothing is written"

    /// `writeLocked` on the file-work threads (`BlockingFileWork`).
    private func write<T: Sendable>(
        _ body: @escaping @Sendable (inout WorkspaceTransaction) throws(StoreError) -> T
    ) async throws(StoreError) -> T {
        try await BlockingFileWork.run { () throws(StoreError) -> T in try self.writeLocked(body) }
    }

    /// Runs `body` on a fresh read of the workspace under the exclusive lock, then writes
    /// what it staged. Nothing is written when it throws.
    private func writeLocked<T>(_ body: (inout WorkspaceTransaction) throws(StoreError) -> T) throws(StoreError) -> T {
        guard !isReadOnly else { throw .forbidden(reason: WorkspaceStore.readOnlyReason) }
        guard Path.isDirectory(root) else {
            throw .unavailable(reason: "no workspace at \(root) (run `kgate init` to create one)")
        }
        return try WorkspaceLock.withExclusiveLock(root: root) { () throws(StoreError) -> T in
            // Every change another writer made before the lock was ours: the files a
            // watcher that caught up reported, else every file.
            let snapshot = reader.readForWrite()
            // No writer can be using these while we hold the lock: a killed one left them.
            for leftover in snapshot.leftovers { unlink(leftover) }
            var transaction = WorkspaceTransaction(snapshot: snapshot, layout: layout)
            let result = try body(&transaction)
            try transaction.commit(failsStep: failsCommitStep)
            // The next load sees this write at once, not only once the watcher's event for
            // it comes.
            reader.note(.files(Set(transaction.committedPaths)))
            return result
        }
    }
}
