import Dispatch
import Foundation
import GatewayKit

#if canImport(Glibc)
    import Glibc
#endif

/// The file changes of one write (a gateway's CR and Service, every object of an `apply`,
/// the revision file), made all or nothing.
///
/// Prepare does everything that can fail for a reason of the files themselves: the
/// folders, every new text written to a temporary file and made durable, every old file
/// kept under a hard link. Only then are the temporaries renamed over their targets; a
/// rename that still fails puts back what was renamed before it, from the kept links. A
/// refusal therefore leaves every file as it was.
///
/// Durability, for a batch as for one file: every temporary's bytes are on disk (fsync
/// each, or one `syncfs` for a batch: `BatchSync`) before the first rename, and each
/// folder is fsynced after the renames, so that once `commit` returns every object is on
/// disk under its name. A writer killed at any moment leaves each target as it was or as
/// it was meant to be: a rename is atomic, and what it has not reached yet is untouched
/// (the temporaries and kept links are swept by the next writer, `leftovers`).
///
/// Each file costs a handful of system calls relative to its folder's descriptor (no path
/// walks, no extra stat): check the target (`fstatat`), create and write the temporary
/// (`openat`, one `write`, `close`), keep the old file (`linkat`, only when there is one),
/// rename. A batch prepares its files on a few threads: a file's text is rendered and
/// written while another thread's file is being created.
struct FileCommit {
    struct Write: Sendable {
        var path: String
        /// The new text, made when the file is prepared (on the thread that writes it).
        var content: @Sendable () -> String
        /// 0600 for Secrets, 0644 otherwise.
        var mode: mode_t
        /// The folder mode when the folder must be made (0700 where Secrets live).
        var folderMode: mode_t

        init(path: String, text: String, mode: mode_t, folderMode: mode_t) {
            self.init(path: path, mode: mode, folderMode: folderMode, content: { text })
        }

        init(path: String, mode: mode_t, folderMode: mode_t, content: @escaping @Sendable () -> String) {
            self.path = path
            self.content = content
            self.mode = mode
            self.folderMode = folderMode
        }
    }

    var writes: [Write] = []
    var removals: [String] = []

    /// Test seam: asked before each rename or removal of the commit phase; a true answer
    /// makes that step fail as a real one would (with EIO), to show the rollback.
    var failsStep: (@Sendable (String) -> Bool)? = nil

    /// One target of the commit, ready: names are relative to its folder's descriptor.
    fileprivate struct Prepared: Sendable {
        var folder: Int32
        var path: String
        var name: String
        /// The new text, ready beside the target; nil for a removal.
        var temporary: String?
        /// A hard link to the old file; nil when there was none.
        var kept: String?
    }

    func commit() throws(StoreError) {
        var folders = OpenFolders()
        defer { folders.closeAll() }
        var prepared: [Prepared] = []
        do {
            // Removals first: the last write (the revision file) is the last step.
            for path in removals {
                guard let folder = try folders.existing(Path.folder(of: path)) else { continue }
                let name = Path.base(of: path)
                guard let kept = try Self.keep(name, in: folder, path: path) else { continue }
                prepared.append(Prepared(folder: folder, path: path, name: name, temporary: nil, kept: kept))
            }
            let batched = writes.count > BatchSync.threshold && BatchSync.isAvailable
            var targets: [(folder: Int32, write: Write)] = []
            targets.reserveCapacity(writes.count)
            for write in writes {
                targets.append((try folders.descriptor(Path.folder(of: write.path), makeWith: write.folderMode), write))
            }
            prepared += try Self.prepare(targets, sync: !batched)
            // Every new text is on disk before the first rename, as with one fsync each.
            if batched { try BatchSync.sync(folders: folders.opened) }
        } catch {
            Self.discard(prepared)
            folders.removeCreated()
            throw error
        }
        var done: [Prepared] = []
        for step in prepared {
            do {
                try apply(step)
                done.append(step)
            } catch {
                Self.rollBack(done)
                Self.discard(prepared)
                folders.removeCreated()
                throw error
            }
        }
        for step in prepared {
            if let kept = step.kept { unlinkat(step.folder, kept, 0) }
        }
        // The renames themselves on disk: each folder written in, and the parent of each
        // folder made.
        for folder in Set(prepared.map(\.folder)) { fsync(folder) }
        for made in folders.created { AtomicFile.syncFolder(Path.folder(of: made)) }
    }

    // MARK: Prepare

    /// Prepares every write, on a few threads for a large batch; on any failure, removes
    /// what it made and throws the failure of the first write that failed.
    private static func prepare(_ targets: [(folder: Int32, write: Write)], sync: Bool) throws(StoreError) -> [Prepared] {
        let lanes = targets.count > BatchSync.threshold ? min(max(ProcessInfo.processInfo.activeProcessorCount, 1), 4) : 1
        let slices = (0..<lanes).map { lane in
            (targets.count * lane / lanes)..<(targets.count * (lane + 1) / lanes)
        }
        let results = LaneResults<Prepared>(count: lanes)
        let work: @Sendable (Int) -> Void = { lane in
            var made: [Prepared] = []
            made.reserveCapacity(slices[lane].count)
            for index in slices[lane] {
                do throws(StoreError) {
                    made.append(try Self.prepare(targets[index].write, in: targets[index].folder, sync: sync))
                } catch {
                    results.set(lane, made, failure: (index, error))
                    return
                }
            }
            results.set(lane, made, failure: nil)
        }
        if lanes > 1 {
            DispatchQueue.concurrentPerform(iterations: lanes, execute: work)
        } else {
            work(0)
        }
        let outcome = results.values
        let made = outcome.flatMap(\.made)
        if let failure = outcome.compactMap(\.failure).min(by: { $0.index < $1.index }) {
            discard(made)
            throw failure.error
        }
        return made
    }

    private static func prepare(_ write: Write, in folder: Int32, sync: Bool) throws(StoreError) -> Prepared {
        let name = Path.base(of: write.path)
        var info = stat()
        let exists: Bool
        if fstatat(folder, name, &info, AT_SYMLINK_NOFOLLOW) == 0 {
            if (info.st_mode & S_IFMT) == S_IFDIR {
                throw .unavailable(reason: "cannot write \(write.path): a folder is in the way")
            }
            exists = true
        } else {
            exists = false
        }
        let temporary = ".\(name).tmp-\(getpid())"
        try writeNew(write.content(), named: temporary, in: folder, path: write.path, mode: write.mode, sync: sync)
        guard exists else { return Prepared(folder: folder, path: write.path, name: name, temporary: temporary, kept: nil) }
        do {
            let kept = try keep(name, in: folder, path: write.path)
            return Prepared(folder: folder, path: write.path, name: name, temporary: temporary, kept: kept)
        } catch {
            unlinkat(folder, temporary, 0)
            throw error
        }
    }

    /// A new file `name` in `folder` holding `text`, with exactly `mode`, fsynced when
    /// `sync`. `O_EXCL | O_NOFOLLOW`: never written through a symlink; one already there
    /// can only be a temporary of a killed writer that had our pid, removed and made anew.
    private static func writeNew(
        _ text: String, named name: String, in folder: Int32, path: String, mode: mode_t, sync: Bool
    ) throws(StoreError) {
        var fd = openat(folder, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        if fd < 0, errno == EEXIST {
            unlinkat(folder, name, 0)
            fd = openat(folder, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        }
        guard fd >= 0 else { throw .unavailable(reason: "cannot create \(Path.folder(of: path))/\(name): \(Errno.text())") }
        func fail(_ action: String) -> StoreError {
            let reason = Errno.text()
            close(fd)
            unlinkat(folder, name, 0)
            return .unavailable(reason: "cannot \(action) \(Path.folder(of: path))/\(name): \(reason)")
        }
        // The umask must not loosen or tighten what was asked (0600 for Secrets); when it
        // takes none of the mode's bits, `openat` gave the mode already.
        if mode & ProcessUmask.value != 0 {
            guard fchmod(fd, mode) == 0 else { throw fail("set the mode of") }
        }
        var text = text
        let written = text.withUTF8 { bytes -> Bool in
            var offset = 0
            while offset < bytes.count {
                let n = Glibc.write(fd, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += n
            }
            return true
        }
        guard written else { throw fail("write") }
        if sync { guard fsync(fd) == 0 else { throw fail("sync") } }
        close(fd)
    }

    /// Keeps the current file under a hard link (no copy, so it cannot run out of space
    /// mid-file); nil when there is no file. An immutable file refuses the link, which is
    /// the point: it would refuse the rename too.
    private static func keep(_ name: String, in folder: Int32, path: String) throws(StoreError) -> String? {
        let kept = ".\(name).tmp-\(getpid())-old"
        var linked = linkat(folder, name, folder, kept, 0) == 0
        if !linked, errno == EEXIST {
            unlinkat(folder, kept, 0)  // a kept link of a killed writer that had our pid
            linked = linkat(folder, name, folder, kept, 0) == 0
        }
        guard linked else {
            if errno == ENOENT { return nil }
            throw .unavailable(reason: "cannot replace \(path): \(Errno.text())")
        }
        return kept
    }

    // MARK: Commit and roll back

    private func apply(_ step: Prepared) throws(StoreError) {
        if failsStep?(step.path) == true {
            throw .unavailable(reason: "cannot replace \(step.path): \(Errno.text(EIO))")
        }
        if let temporary = step.temporary {
            guard renameat(step.folder, temporary, step.folder, step.name) == 0 else {
                throw .unavailable(reason: "cannot replace \(step.path): \(Errno.text())")
            }
        } else {
            guard unlinkat(step.folder, step.name, 0) == 0 || errno == ENOENT else {
                throw .unavailable(reason: "cannot remove \(step.path): \(Errno.text())")
            }
        }
    }

    /// Puts back the old files of the steps made, newest first.
    private static func rollBack(_ done: [Prepared]) {
        for step in done.reversed() {
            if let kept = step.kept {
                if renameat(step.folder, kept, step.folder, step.name) != 0 { _ = linkat(step.folder, kept, step.folder, step.name, 0) }
            } else {
                unlinkat(step.folder, step.name, 0)
            }
        }
        for folder in Set(done.map(\.folder)) { fsync(folder) }
    }

    /// Removes every temporary and kept link left.
    private static func discard(_ prepared: [Prepared]) {
        for step in prepared {
            if let temporary = step.temporary { unlinkat(step.folder, temporary, 0) }
            if let kept = step.kept { unlinkat(step.folder, kept, 0) }
        }
    }
}

/// The folders of one commit, each opened once (made first when a write needs it), so
/// that every file is reached relative to its folder's descriptor.
private struct OpenFolders {
    private var byPath: [String: Int32] = [:]
    /// Folders this commit made, outermost first, for a refusal to remove again.
    private(set) var created: [String] = []

    /// Every folder opened, with its path (for messages).
    var opened: [(path: String, descriptor: Int32)] { byPath.map { (path: $0.key, descriptor: $0.value) } }

    /// The folder a write goes to, made first (with `mode`, its missing parents too).
    mutating func descriptor(_ folder: String, makeWith mode: mode_t) throws(StoreError) -> Int32 {
        if let fd = byPath[folder] { return fd }
        created += try Path.makeFolders(folder, mode: mode)
        guard let fd = try existing(folder) else { throw .unavailable(reason: "cannot open folder \(folder): \(Errno.text())") }
        return fd
    }

    /// The folder of a removal; nil when it is not there (nor, then, the file).
    mutating func existing(_ folder: String) throws(StoreError) -> Int32? {
        if let fd = byPath[folder] { return fd }
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            throw .unavailable(reason: "cannot open folder \(folder): \(Errno.text())")
        }
        byPath[folder] = fd
        return fd
    }

    func removeCreated() {
        for folder in created.reversed() { rmdir(folder) }
    }

    mutating func closeAll() {
        for fd in byPath.values { close(fd) }
        byPath = [:]
    }
}

/// What each thread of a batch prepared, and the write it failed at.
private final class LaneResults<Value>: @unchecked Sendable {
    struct Lane {
        var made: [Value]
        var failure: (index: Int, error: StoreError)?
    }

    private var lanes: [Lane?]
    private let lock = NSLock()

    init(count: Int) { lanes = Array(repeating: nil, count: count) }

    func set(_ lane: Int, _ made: [Value], failure: (index: Int, error: StoreError)?) {
        lock.withLock { lanes[lane] = Lane(made: made, failure: failure) }
    }

    var values: [Lane] { lock.withLock { lanes.compactMap { $0 } } }
}

/// The process's umask, read once from /proc (reading it with umask(2) would change it
/// for a moment, under other threads' feet); all bits when it cannot be read, so that
/// every mode is then set explicitly.
enum ProcessUmask {
    static let value: mode_t = {
        guard case .success(let bytes) = AtomicFile.readBytes("/proc/self/status") else { return 0o777 }
        let text = String(decoding: bytes, as: UTF8.self)
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Umask:") }),
            let mask = mode_t(line.dropFirst("Umask:".count).trimmingCharacters(in: .whitespaces), radix: 8)
        else { return 0o777 }
        return mask
    }()
}
