import Foundation
import GatewayKit

/// Reads a workspace folder into objects, parsing only the files that changed since the
/// last read (a file is known by its inode, size and modification time, and by its bytes
/// when it changed within a clock tick of that read), in parallel when there are many. A
/// store's first read takes unchanged files from the workspace index (`WorkspaceIndex`).
///
/// While a folder watcher runs on the root (`watchStarted`), a read looks again only at
/// the files it reported (`note`), and patches the assembled workspace for their objects
/// (`WorkspaceAssembly`): a change of one file costs work for that file, not a pass over
/// the workspace. A write under the lock does too when a watcher has caught up with the
/// kernel's queue (`readForWrite`), and looks at every file otherwise.
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
    let writesIndex: Bool
    /// Guards what the watchers report (`pending`, `watchers`) and `parsedByLastRead`.
    private let lock = NSLock()
    /// Held for a whole read: each read builds on the state the last one left.
    private let readLock = NSLock()
    /// What reads keep between them (the index's part: `WorkspaceReader+Index.swift`).
    var state = ReadState()
    /// Files the watchers saw change since the last read began.
    private var pending = Pending()
    /// Folder watchers running on this store's root, by the number `watchStarted` gave:
    /// while there is one, a read looks at the files they report only. Each with its
    /// `FolderWatcher.caughtUp`, nil for one that cannot tell.
    private var watchers: [Int: (@Sendable () -> Bool)?] = [:]
    private var watchersStarted = 0
    /// How many files the last read parsed (neither in memory nor in the index): for tests.
    private(set) var parsedByLastRead: Int {
        get { lock.withLock { parsed } }
        set { lock.withLock { parsed = newValue } }
    }
    private var parsed = 0
    /// How many files the last read examined (stat), a full scan's every file: for tests.
    private(set) var examinedByLastRead: Int {
        get { lock.withLock { examined } }
        set { lock.withLock { examined = newValue } }
    }
    private var examined = 0

    /// What reads keep between them (under `readLock`).
    struct ReadState {
        /// Every manifest file as last read, by full path; see `firstReadFiles`.
        var files: [String: ParsedFile] = [:]
        /// A store's first read keeps its files as the list it assembled them from, in
        /// path order, and `files` is made of it when a later read needs them by path:
        /// at 100,000 files that table was a tenth of the first frame, which needs none.
        var firstReadFiles: [ParsedFile]? = nil
        var assembly: WorkspaceAssembly?
        var leftovers: [String] = []
        /// Folders that could not be listed, as the last full scan found.
        var folderFailures: [ReadFailure] = []
        /// The index as last loaded or written, its entries' keys only; nil before the
        /// first read.
        var indexed: IndexedKeys?
        /// Relative paths whose entry differs from the index's.
        var staleIndexEntries: Set<String> = []

        /// `files` made of the first read's list, if not yet.
        mutating func filesByPath() {
            guard let list = firstReadFiles else { return }
            firstReadFiles = nil
            files = Dictionary(uniqueKeysWithValues: list.lazy.map { ($0.path, $0) })
        }
    }

    private struct Pending {
        var files: Set<String> = []
        var everything = true
    }

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

    // MARK: Watchers

    /// A watcher on the root started (its watches in place): reads may follow what it
    /// reports, after one full scan. `caughtUp`: whether every change the kernel queued
    /// before the call has been reported (`FolderWatcher.caughtUp`); with it, writes follow
    /// the reports too. Returns the number to stop it with.
    @discardableResult
    func watchStarted(caughtUp: (@Sendable () -> Bool)? = nil) -> Int {
        lock.withLock {
            watchersStarted += 1
            watchers[watchersStarted] = .some(caughtUp)
            pending = Pending()
            return watchersStarted
        }
    }

    func watchStopped(_ watcher: Int) { lock.withLock { _ = watchers.removeValue(forKey: watcher) } }

    /// What a watcher saw change.
    func note(_ change: FolderWatcher.Change) {
        lock.withLock {
            switch change {
            case .everything: pending.everything = true
            case .files(let paths): if !pending.everything { pending.files.formUnion(paths) }
            }
        }
    }

    // MARK: Reading

    /// What a write under the lock reads. Another writer's change may still be on its way
    /// to the watchers, so every file is looked at, unless a watcher has caught up with the
    /// kernel's queue: then every change made before the lock was taken has been reported,
    /// and only those files are (a write at 10,000 routes costs a stat of each otherwise).
    /// The leftovers it names are the writer's to remove, and are not named again.
    func readForWrite() -> Snapshot {
        // Asked outside `lock`: the watcher's thread takes it to report what it hands on.
        let checks = lock.withLock { watchers.values.compactMap { $0 } }
        let snapshot = read(fullScan: !checks.contains { $0() })
        readLock.withLock { state.leftovers = [] }
        return snapshot
    }

    /// The workspace as its files say now. `fullScan` looks at every file, whatever the
    /// watchers say. Otherwise, while a watcher runs, only the files it reported are
    /// looked at.
    func read(fullScan: Bool = false) -> Snapshot {
        readLock.withLock {
            state.filesByPath()
            let now = WorkspaceFileScan.now()
            let reported = lock.withLock { () -> Set<String>? in
                guard !watchers.isEmpty else { return nil }
                if fullScan || pending.everything {
                    pending = Pending(files: [], everything: false)
                    return nil
                }
                defer { pending.files = [] }
                return pending.files
            }
            if let reported, state.assembly != nil, let changes = reread(reported, now: now) {
                apply(changes)
            } else {
                scanAll(now: now)
            }
            return snapshot()
        }
    }

    /// The files `paths` looked at again; nil when that cannot tell (one is a folder now,
    /// or could not be examined): then everything is scanned.
    private func reread(_ paths: Set<String>, now: Int64) -> [ResolvedFile]? {
        var work: [(path: String, stamp: FileStamp, prior: ParsedFile.Prior?)] = []
        var removed: [String] = []
        for path in paths.sorted() where WorkspaceFileScan.isManifest(name: Path.base(of: path)) {
            var info = stat()
            guard stat(path, &info) == 0 else {
                guard errno == ENOENT else { return nil }
                if state.files[path] != nil { removed.append(path) }
                continue
            }
            guard (info.st_mode & S_IFMT) != S_IFDIR else { return nil }
            let stamp = WorkspaceFileScan.stamp(info)
            let known = state.files[path]
            if let known, known.stamp == stamp, !known.racy { continue }
            work.append((path, stamp, known.map(ParsedFile.Prior.memory)))
        }
        examinedByLastRead = paths.count
        var resolved = removed.map { ResolvedFile(path: $0, parsed: nil) }
        for item in work {
            let file = ParsedFile.resolve(
                path: item.path, source: layout.relative(item.path), stamp: item.stamp, prior: item.prior, now: now)
            resolved.append(ResolvedFile(path: item.path, parsed: file))
        }
        parsedByLastRead = resolved.count { $0.parsed?.parsedNow == true }
        return resolved
    }

    /// A file looked at by a read: its new state, nil when it is gone.
    private struct ResolvedFile {
        var path: String
        var parsed: ParsedFile?
    }

    /// Every file: those whose stamp changed since the last read are read again (a
    /// store's first read takes unchanged ones from the index).
    private func scanAll(now: Int64) {
        let scan = WorkspaceFileScan.scan(root: layout.root)
        let files = scan.files
        let firstRead = state.indexed == nil
        // What each file needs: the work, and the index, are let go as soon as the files
        // are resolved, before the assembly is made (at 100,000 routes they are some 60 MB
        // of the peak).
        let (work, known) = workToResolve(files, firstRead: firstRead)
        var removed: [String] = []
        if known < state.files.count {
            let present = Set(files.map(\.path))
            removed = state.files.keys.filter { !present.contains($0) }
        }
        let (found, unchangedFromIndex) = resolve(consume work, now: now)
        examinedByLastRead = files.count
        parsedByLastRead = found.count { $0.parsedNow }
        state.leftovers = scan.leftovers
        state.folderFailures = scan.unreadable
        if state.assembly == nil {
            // A store's first read (the only one without an assembly; `reread` needs one)
            // resolved every file, in the listing's order, and knew none before: `found`
            // is what the assembly is made of.
            //
            // The index is up to date when every file it holds came from it unchanged and
            // it holds nothing else: no need to look at each file again to find what is
            // stale (a fifteenth of an unchanged 100,000-route first frame).
            let indexIsCurrent =
                unchangedFromIndex == state.indexed?.count && unchangedFromIndex == found.count { $0.indexKey != nil }
            state.assembly = WorkspaceAssembly(layout: layout, files: found)
            state.firstReadFiles = found
            if writesIndex {
                if indexIsCurrent {
                    state.staleIndexEntries = []
                } else if state.indexed?.count == 0, found.contains(where: { $0.indexed != nil }) {
                    // No index, or one that failed its check: every entry is new, written
                    // from the list in the listing's order, with no table of paths and no
                    // set of stale ones (a cold 10,000-file first frame waited some 50 ms
                    // on them, an eighth of it, on one core).
                    writeIndex(of: found, inPathOrder: true)
                } else {
                    state.filesByPath()
                    updateIndex(touched: nil, firstRead: true)
                }
            }
        } else {
            apply(removed.map { ResolvedFile(path: $0, parsed: nil) } + found.map { ResolvedFile(path: $0.path, parsed: $0) })
        }
    }

    /// Each file of `files` not known unchanged, with what is known of it: this store's
    /// last read of it, or (on a first read) the index's entry; and how many of `files`
    /// this store knew.
    private func workToResolve(
        _ files: [(path: String, stamp: FileStamp)], firstRead: Bool
    ) -> (work: [(path: String, stamp: FileStamp, prior: ParsedFile.Prior?)], known: Int) {
        // The index matters to a store's first read only: later, its own cache knows more.
        let index = firstRead ? WorkspaceIndex.load(indexPath) : WorkspaceIndex()
        if firstRead { state.indexed = IndexedKeys(index.entries) }
        // The listing and the index are both in path order: each file's entry is found by
        // walking the two at once. A file whose entry is missed (the two orders can differ
        // for names the bytes do not order as text does) is parsed: never a wrong entry.
        // Paths are compared as bytes with `memcmp`: through the generic collection views
        // the walk was a twentieth of an unchanged 100,000-route first frame.
        let entries = index.entries
        var next = entries.startIndex
        func entry(for path: String) -> WorkspaceIndex.Entry? {
            var path = path
            return path.withUTF8 { full -> WorkspaceIndex.Entry? in
                let relative = UnsafeBufferPointer(rebasing: full[layout.relativeStart(of: full)...])
                var order = 1
                while next < entries.endIndex {
                    var indexed = entries[next].path
                    order = indexed.withUTF8 { Self.byteOrder($0, relative) }
                    guard order < 0 else { break }
                    next += 1
                }
                guard order == 0 else { return nil }
                next += 1
                return entries[next - 1].entry
            }
        }
        var work: [(path: String, stamp: FileStamp, prior: ParsedFile.Prior?)] = []
        work.reserveCapacity(files.count)
        var known = 0
        for file in files {
            if let cached = state.files[file.path] {
                known += 1
                if cached.stamp == file.stamp, !cached.racy { continue }
                work.append((file.path, file.stamp, .memory(cached)))
            } else {
                work.append((file.path, file.stamp, entry(for: file.path).map(ParsedFile.Prior.index)))
            }
        }
        return (work, known)
    }

    /// How `a` and `b` order as bytes (as `lexicographicallyPrecedes` of their UTF-8
    /// views): negative, zero or positive.
    static func byteOrder(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        let shared = min(a.count, b.count)
        if shared > 0 {
            let order = memcmp(a.baseAddress!, b.baseAddress!, shared)
            if order != 0 { return Int(order) }
        }
        return a.count - b.count
    }

    /// Each file of `work` read, or taken from what is known of it, on every core, in order;
    /// and how many were taken from their index entry with the same key as it.
    private func resolve(
        _ work: [(path: String, stamp: FileStamp, prior: ParsedFile.Prior?)], now: Int64
    ) -> (files: [ParsedFile], unchangedFromIndex: Int) {
        // Up to 256 files a hand-over (one each, the hand-overs were a tenth of the work).
        let files = work.parallelMap(chunk: min(256, max(16, work.count / 8))) { [layout] item in
            ParsedFile.resolve(path: item.path, source: layout.relative(item.path), stamp: item.stamp, prior: item.prior, now: now)
        }
        var unchanged = 0
        for (slot, result) in files.enumerated() {
            if case .index(let entry)? = work[slot].prior, let key = result.indexKey, key == entry.key { unchanged += 1 }
        }
        return (files, unchanged)
    }

    /// Takes what a read found into the state, patching the assembly when it can.
    private func apply(_ resolved: [ResolvedFile]) {
        var changes: [WorkspaceAssembly.FileChange] = []
        for file in resolved {
            let old = state.files[file.path]
            state.files[file.path] = file.parsed
            // A file looked at again whose bytes still hash the same (changed within a
            // clock tick of its read, or reported by a watcher) holds what it held.
            if let old, let new = file.parsed, !new.parsedNow, old.unreadable == nil, new.unreadable == nil { continue }
            if old == nil && file.parsed == nil { continue }
            changes.append(WorkspaceAssembly.FileChange(path: file.path, old: old, new: file.parsed))
        }
        if !changes.isEmpty, state.assembly?.patch(changes) != true {
            let paths = state.files.keys.sorted()
            state.assembly = WorkspaceAssembly(layout: layout, files: paths.map { state.files[$0]! })
        }
        if writesIndex { updateIndex(touched: resolved.map(\.path), firstRead: false) }
    }

    private func snapshot() -> Snapshot {
        guard let assembly = state.assembly else {
            return Snapshot(inventory: Inventory(), sources: [:], objectCounts: [:], brokenFiles: [], objects: [:])
        }
        var snapshot = Snapshot(
            inventory: assembly.inventory, sources: assembly.sources, objectCounts: assembly.objectCounts,
            brokenFiles: assembly.brokenFiles, objects: assembly.objects)
        snapshot.leftovers = state.leftovers
        snapshot.unreadable = state.folderFailures + assembly.unreadableFiles.sorted { $0.key < $1.key }.map(\.value)
        snapshot.inventory.unreadable = snapshot.unreadable.map { $0.path == layout.root ? "" : layout.relative($0.path) }
        var warnings: [String] = state.folderFailures.map { failure in
            "cannot read \(layout.relative(failure.path))/: \(failure.reason); what it holds is not shown"
        }
        for (path, mode) in assembly.looseSecrets.sorted(by: { $0.key < $1.key }) {
            let octal = String(mode, radix: 8)
            warnings.append("\(layout.relative(path)) holds a Secret but its mode is \(octal); make it 0600 (chmod 600 \(path))")
        }
        snapshot.inventory.warnings = warnings
        return snapshot
    }
}
