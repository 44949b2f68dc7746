import Foundation
import GatewayKit

/// Reads a workspace folder into objects, parsing only the files that changed since the
/// last read (a file is known by its inode, size and modification time, and by its bytes
/// when it changed within a clock tick of that read), in parallel when there are many. A
/// store's first read takes unchanged files from the workspace index (`WorkspaceIndex`).
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

    let layout: WorkspaceLayout
    /// False for a read-only store: it writes nothing, the index included.
    private let writesIndex: Bool
    private let lock = NSLock()
    private var cache: [String: ParsedFile] = [:]
    /// The index as last loaded or written, its entries' stamps only: it is written again
    /// only when what it would hold changed.
    private var indexed: [String: WorkspaceIndex.Entry.Key]?
    /// How many files the last read parsed (neither in memory nor in the index): for tests.
    private(set) var parsedByLastRead = 0

    init(layout: WorkspaceLayout, writesIndex: Bool = true) {
        self.layout = layout
        self.writesIndex = writesIndex
    }

    /// Why rewriting the file that holds `object` would lose comments or layout; checked
    /// when a write is about to replace the file, not on every read (a load of 10,000
    /// files must not render each one again).
    static func rewriteLosses(ofFile source: String, layout: WorkspaceLayout) -> [String] {
        guard case .success(let text) = AtomicFile.read(source) else { return [] }
        let (objects, problems) = ManifestParser.parse(text, source: layout.relative(source))
        return problems.isEmpty ? RewriteCheck.losses(in: text, objects: objects) : []
    }

    func read() -> Snapshot {
        let now = WorkspaceFileScan.now()
        let scan = WorkspaceFileScan.scan(root: layout.root)
        let files = scan.files
        let (memory, firstRead) = lock.withLock { (cache, indexed == nil) }
        // The index matters to a store's first read only: later, its own cache knows more.
        let index = firstRead ? WorkspaceIndex.load(indexPath) : WorkspaceIndex()
        if firstRead { lock.withLock { indexed = index.entries.mapValues(\.key) } }
        var parsed = [ParsedFile?](repeating: nil, count: files.count)
        var work: [(index: Int, prior: ParsedFile.Prior?)] = []
        for (position, file) in files.enumerated() {
            if let known = memory[file.path] {
                if known.stamp == file.stamp, !known.racy {
                    var known = known
                    known.parsedNow = false
                    parsed[position] = known
                } else {
                    work.append((position, .memory(known)))
                }
            } else {
                work.append((position, index.entries[layout.relative(file.path)].map(ParsedFile.Prior.index)))
            }
        }
        let pending = work
        let results = ResultBox<ParsedFile>(count: pending.count)
        let resolve: @Sendable (Int) -> Void = { [layout] slot in
            let (position, prior) = pending[slot]
            let file = files[position]
            results.set(slot, ParsedFile.resolve(path: file.path, source: layout.relative(file.path), stamp: file.stamp, prior: prior, now: now))
        }
        if pending.count > 32 {
            DispatchQueue.concurrentPerform(iterations: pending.count, execute: resolve)
        } else {
            for slot in pending.indices { resolve(slot) }
        }
        for (slot, result) in results.values.enumerated() { parsed[pending[slot].index] = result }
        let complete = parsed.compactMap { $0 }
        lock.withLock {
            cache = Dictionary(uniqueKeysWithValues: zip(files.map(\.path), complete))
            parsedByLastRead = complete.count { $0.parsedNow }
        }
        if writesIndex { updateIndex(files: files, parsed: complete, firstRead: firstRead) }

        var snapshot = assemble(files: files.map(\.path), parsed: complete)
        snapshot.leftovers = scan.leftovers
        snapshot.unreadable = scan.unreadable + complete.compactMap(\.unreadable)
        snapshot.inventory.unreadable = snapshot.unreadable.map { $0.path == layout.root ? "" : layout.relative($0.path) }
        snapshot.inventory.warnings =
            scan.unreadable.map { "cannot read \(layout.relative($0.path))/: \($0.reason); what it holds is not shown" }
            + zip(files, complete).compactMap { file, result in
                result.looseSecretMode.map { mode in
                    "\(layout.relative(file.path)) holds a Secret but its mode is \(String(mode, radix: 8)); "
                        + "make it 0600 (chmod 600 \(file.path))"
                }
            }
        return snapshot
    }

    private var indexPath: String { "\(layout.root)/\(WorkspaceIndex.fileName)" }

    /// Writes the index when what it would hold differs from what it holds: on a store's
    /// first read at any difference, later only once a hundredth of it differs. A stale
    /// entry costs only a parse of its file, while rewriting the whole index on each
    /// change that the console follows would cost more than the change itself.
    private func updateIndex(files: [(path: String, stamp: FileStamp)], parsed: [ParsedFile], firstRead: Bool) {
        var index = WorkspaceIndex()
        index.entries.reserveCapacity(files.count)
        for (file, result) in zip(files, parsed) {
            guard let trees = result.trees else { continue }
            index.entries[layout.relative(file.path)] = WorkspaceIndex.Entry(
                stamp: file.stamp, contentHash: result.contentHash, racy: result.racy, trees: trees)
        }
        let keys = index.entries.mapValues(\.key)
        let due = lock.withLock { () -> Bool in
            let written = indexed ?? [:]
            var differing = written.keys.count { keys[$0] == nil }
            for (path, key) in keys where written[path] != key { differing += 1 }
            guard differing > 0, firstRead || differing * 100 >= max(keys.count, 1) else { return false }
            indexed = keys
            return true
        }
        if due { index.write(to: indexPath) }
    }

    private func assemble(files: [String], parsed: [ParsedFile]) -> Snapshot {
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
}

/// Results written by parallel workers, one slot each.
private final class ResultBox<Value>: @unchecked Sendable {
    private var slots: [Value?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: Value) { lock.withLock { slots[index] = value } }
    var values: [Value] { lock.withLock { slots.compactMap { $0 } } }
}
