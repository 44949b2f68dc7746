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
    }

    let layout: WorkspaceLayout
    private let lock = NSLock()
    private var cache: [String: Parsed] = [:]

    init(layout: WorkspaceLayout) { self.layout = layout }

    func read() -> Snapshot {
        let (files, leftovers) = manifestFiles()
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
        return snapshot
    }

    private func parse(_ files: [(path: String, stamp: FileStamp)]) -> [Parsed] {
        let results = ResultBox<Parsed>(count: files.count)
        let work: @Sendable (Int) -> Void = { index in
            let file = files[index]
            let source = self.layout.relative(file.path)
            guard let text = AtomicFile.read(file.path) else {
                results.set(
                    index,
                    Parsed(
                        stamp: file.stamp, objects: [],
                        problems: [ManifestProblem(source: source, errors: [FieldError("", "cannot read the file")])]))
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
            results.set(index, Parsed(stamp: file.stamp, objects: stamped, problems: problems))
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

    /// Every `.yaml`, `.yml` and `.json` file below the root, hidden ones left out, sorted.
    private func manifestFiles() -> (files: [(path: String, stamp: FileStamp)], leftovers: [String]) {
        var found: [(String, FileStamp)] = []
        var leftovers: [String] = []
        var folders = [layout.root]
        while let folder = folders.popLast() {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { continue }
            for name in names {
                if name.hasPrefix(".") {
                    if name.contains(".tmp-") { leftovers.append("\(folder)/\(name)") }
                    continue
                }
                let path = "\(folder)/\(name)"
                var info = stat()
                guard stat(path, &info) == 0 else { continue }
                if (info.st_mode & S_IFMT) == S_IFDIR {
                    folders.append(path)
                } else if name.hasSuffix(".yaml") || name.hasSuffix(".yml") || name.hasSuffix(".json") {
                    let modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
                    found.append((path, FileStamp(inode: UInt64(info.st_ino), size: Int64(info.st_size), modified: modified)))
                }
            }
        }
        return (found.sorted { $0.0 < $1.0 }, leftovers)
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
