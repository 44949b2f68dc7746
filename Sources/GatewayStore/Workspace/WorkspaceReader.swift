import Foundation
import GatewayKit

/// Reads a workspace folder into objects, parsing only the files that changed since the
/// last read (a file is known by its inode, size and modification time), in parallel
/// when there are many.
///
/// A file that fails to parse or validate is reported with its path and field; the rest
/// still loads.
final class WorkspaceReader: @unchecked Sendable {
    struct Snapshot: Sendable {
        var inventory: Inventory
        /// Which file each object came from.
        var sources: [ObjectKey: String]
        /// How many objects each file holds; kgate rewrites only single-object files.
        var objectCounts: [String: Int]
        /// Files with a problem: never overwritten by kgate.
        var brokenFiles: Set<String>
        var objects: [ObjectKey: KubeObject]
        /// Temporary files of writers killed mid-write (`.<name>.tmp-<pid>`), for the next
        /// writer to remove under the lock.
        var leftovers: [String] = []
        /// Folders and files that could not be read: nothing there may be written, and
        /// nothing there is "not found".
        var unreadable: [ReadFailure] = []
    }

    private struct FileStamp: Hashable, Sendable {
        var inode: UInt64
        var size: Int64
        var modified: Int64
    }

    private struct Parsed: Sendable {
        var stamp: FileStamp
        var objects: [KubeObject]
        var problems: [ManifestProblem]
        var unreadable: ReadFailure? = nil
        /// A Secret file that group or others may read: its mode.
        var looseSecretMode: mode_t? = nil
    }

    let layout: WorkspaceLayout
    private let lock = NSLock()
    private var cache: [String: Parsed] = [:]

    init(layout: WorkspaceLayout) { self.layout = layout }

    /// Why rewriting the file that holds `object` would lose comments or layout; checked
    /// when a write is about to replace the file, not on every read (a load of 10,000
    /// files must not render each one again).
    static func rewriteLosses(ofFile source: String, layout: WorkspaceLayout) -> [String] {
        guard case .success(let text) = AtomicFile.read(source) else { return [] }
        let (objects, problems) = ManifestParser.parse(text, source: layout.relative(source))
        return problems.isEmpty ? RewriteCheck.losses(in: text, objects: objects) : []
    }

    func read() -> Snapshot {
        let (files, leftovers, unreadableFolders) = manifestFiles()
        var parsed = [Parsed?](repeating: nil, count: files.count)
        var misses: [Int] = []
        lock.withLock {
            for (index, file) in files.enumerated() {
                if let hit = cache[file.path], hit.stamp == file.stamp { parsed[index] = hit } else { misses.append(index) }
            }
        }
        let fresh = parse(misses.map { files[$0] })
        lock.withLock {
            for (index, result) in zip(misses, fresh) {
                parsed[index] = result
                cache[files[index].path] = result
            }
            let live = Set(files.map(\.path))
            cache = cache.filter { live.contains($0.key) }
        }
        var snapshot = assemble(files: files.map(\.path), parsed: parsed.compactMap { $0 })
        snapshot.leftovers = leftovers
        snapshot.unreadable = unreadableFolders + parsed.compactMap { $0?.unreadable }
        snapshot.inventory.unreadable = snapshot.unreadable.map { $0.path == layout.root ? "" : layout.relative($0.path) }
        snapshot.inventory.warnings =
            unreadableFolders.map { "cannot read \(layout.relative($0.path))/: \($0.reason); what it holds is not shown" }
            + zip(files, parsed).compactMap { file, result in
                result?.looseSecretMode.map { mode in
                    "\(layout.relative(file.path)) holds a Secret but its mode is \(String(mode, radix: 8)); "
                        + "make it 0600 (chmod 600 \(file.path))"
                }
            }
        return snapshot
    }

    private func parse(_ files: [(path: String, stamp: FileStamp)]) -> [Parsed] {
        let results = ResultBox<Parsed>(count: files.count)
        let work: @Sendable (Int) -> Void = { index in
            let file = files[index]
            let source = self.layout.relative(file.path)
            let text: String
            switch AtomicFile.read(file.path) {
            case .success(let read): text = read
            case .failure(let failure):
                results.set(
                    index,
                    Parsed(
                        stamp: file.stamp, objects: [],
                        problems: [ManifestProblem(source: source, errors: [FieldError("", "cannot read the file: \(failure.reason)")])],
                        unreadable: failure))
                return
            }
            let (objects, problems) = ManifestParser.parse(text, source: source)
            let stamped = objects.map { object -> KubeObject in
                guard object.resourceVersion == nil else { return object }
                var object = object
                // A hand-written file has no version of its own; its modification time
                // stands in, so that an edit from a stale read is still a conflict.
                object.resourceVersion = "m\(file.stamp.modified)"
                return object
            }
            let holdsSecret = stamped.contains { $0.kind == "Secret" }
            results.set(
                index,
                Parsed(
                    stamp: file.stamp, objects: stamped, problems: problems,
                    looseSecretMode: holdsSecret ? FileModes.looseSecretMode(file.path) : nil))
        }
        if files.count > 32 {
            DispatchQueue.concurrentPerform(iterations: files.count, execute: work)
        } else {
            for index in files.indices { work(index) }
        }
        return results.values
    }

    private func assemble(files: [String], parsed: [Parsed]) -> Snapshot {
        var snapshot = Snapshot(inventory: Inventory(), sources: [:], objectCounts: [:], brokenFiles: [], objects: [:])
        var problems: [ManifestProblem] = []
        var ordered: [(KubeObject, String)] = []
        for (path, result) in zip(files, parsed) {
            snapshot.objectCounts[path] = result.objects.count + result.problems.count
            if !result.problems.isEmpty {
                snapshot.brokenFiles.insert(path)
                problems += result.problems
            }
            ordered += result.objects.map { ($0, path) }
        }
        let settings = ordered.lazy.compactMap { object, _ -> WorkspaceSettings? in
            if case .settings(let s) = object { return s }
            return nil
        }.first ?? WorkspaceSettings()
        var accepted: [KubeObject] = []
        for (object, path) in ordered {
            let key = ObjectKey(object)
            let source = layout.relative(path)
            if let first = snapshot.sources[key] {
                snapshot.brokenFiles.insert(path)
                problems.append(
                    ManifestProblem(
                        source: source,
                        errors: [FieldError("metadata.name", "\(object.reference) is also defined in \(layout.relative(first)); that one is used")]))
                continue
            }
            let errors = Validate.object(object, settings: settings)
            guard errors.isEmpty else {
                snapshot.brokenFiles.insert(path)
                problems.append(ManifestProblem(source: source, errors: errors))
                continue
            }
            snapshot.sources[key] = path
            snapshot.objects[key] = object
            accepted.append(object)
        }
        snapshot.inventory = Inventory(objects: accepted, problems: problems)
        return snapshot
    }

    /// Every `.yaml`, `.yml` and `.json` file below the root, hidden ones left out, sorted;
    /// the folders that could not be listed, with the reason.
    private func manifestFiles() -> (
        files: [(path: String, stamp: FileStamp)], leftovers: [String], unreadable: [ReadFailure]
    ) {
        var found: [(String, FileStamp)] = []
        var leftovers: [String] = []
        var unreadable: [ReadFailure] = []
        var folders = [layout.root]
        while let folder = folders.popLast() {
            let names: [String]
            switch FolderListing.names(in: folder) {
            case .success(let listed): names = listed
            case .failure(let failure):
                unreadable.append(failure)
                continue
            }
            for name in names {
                if name.hasPrefix(".") {
                    if name.contains(".tmp-") { leftovers.append("\(folder)/\(name)") }
                    continue
                }
                let path = "\(folder)/\(name)"
                var info = stat()
                guard stat(path, &info) == 0 else {
                    if errno != ENOENT { unreadable.append(ReadFailure(path: path, code: errno)) }
                    continue
                }
                if (info.st_mode & S_IFMT) == S_IFDIR {
                    folders.append(path)
                } else if name.hasSuffix(".yaml") || name.hasSuffix(".yml") || name.hasSuffix(".json") {
                    let modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
                    found.append((path, FileStamp(inode: UInt64(info.st_ino), size: Int64(info.st_size), modified: modified)))
                }
            }
        }
        return (found.sorted { $0.0 < $1.0 }, leftovers, unreadable)
    }
}

/// Results written by parallel workers, one slot each.
private final class ResultBox<Value>: @unchecked Sendable {
    private var slots: [Value?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: Value) { lock.withLock { slots[index] = value } }
    var values: [Value] { lock.withLock { slots.compactMap { $0 } } }
}
