import GatewayKit

#if canImport(Glibc)
    import Glibc
#endif

/// The file changes of one write (a gateway's CR and Service, every object of an `apply`,
/// the revision file), made all or nothing.
///
/// Prepare does everything that can fail for a reason of the files themselves: the
/// folders, every new text written to a temporary file and fsynced, every old file kept
/// under a hard link. Only then are the temporaries renamed over their targets; a rename
/// that still fails puts back what was renamed before it, from the kept links. A refusal
/// therefore leaves every file as it was.
struct FileCommit {
    struct Write {
        var path: String
        var text: String
        /// 0600 for Secrets, 0644 otherwise.
        var mode: mode_t
        /// The folder mode when the folder must be made (0700 where Secrets live).
        var folderMode: mode_t
    }

    var writes: [Write] = []
    var removals: [String] = []

    /// Test seam: asked before each rename or removal of the commit phase; a true answer
    /// makes that step fail as a real one would (with EIO), to show the rollback.
    var failsStep: (@Sendable (String) -> Bool)? = nil

    private struct Prepared {
        var path: String
        /// The new text, ready beside the target; nil for a removal.
        var temporary: String?
        /// A hard link to the old file; nil when there was none.
        var kept: String?
    }

    func commit() throws(StoreError) {
        var createdFolders: [String] = []
        var prepared: [Prepared] = []
        do {
            // Removals first: the last write (the revision file) is the last step.
            for path in removals {
                guard let kept = try keep(path) else { continue }
                prepared.append(Prepared(path: path, temporary: nil, kept: kept))
            }
            let batched = writes.count > BatchSync.threshold
            for write in writes {
                createdFolders += try Path.makeFolders(Path.folder(of: write.path), mode: write.folderMode)
                prepared.append(try prepare(write, sync: !batched))
            }
            // Every new text is on disk before the first rename, as with one fsync each.
            if batched {
                try BatchSync.sync(
                    files: prepared.compactMap(\.temporary), folders: Set(writes.map { Path.folder(of: $0.path) }))
            }
        } catch {
            discard(prepared, createdFolders: createdFolders)
            throw error
        }
        var done: [Prepared] = []
        for step in prepared {
            do {
                try apply(step)
                done.append(step)
            } catch {
                rollBack(done)
                discard(prepared, createdFolders: createdFolders)
                throw error
            }
        }
        for step in prepared {
            if let kept = step.kept { unlink(kept) }
        }
        for folder in Set(prepared.map { Path.folder(of: $0.path) }) { AtomicFile.syncFolder(folder) }
        for folder in createdFolders { AtomicFile.syncFolder(Path.folder(of: folder)) }
    }

    // MARK: Prepare

    private func prepare(_ write: Write, sync: Bool) throws(StoreError) -> Prepared {
        var info = stat()
        if lstat(write.path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            throw .unavailable(reason: "cannot write \(write.path): a folder is in the way")
        }
        let temporary = "\(Path.folder(of: write.path))/.\(Path.base(of: write.path)).tmp-\(getpid())"
        try AtomicFile.writeNew(write.text, to: temporary, mode: write.mode, sync: sync)
        do {
            return Prepared(path: write.path, temporary: temporary, kept: try keep(write.path))
        } catch {
            unlink(temporary)
            throw error
        }
    }

    /// Keeps the current file under a hard link (no copy, so it cannot run out of space
    /// mid-file); nil when there is no file. An immutable file refuses the link, which is
    /// the point: it would refuse the rename too.
    private func keep(_ path: String) throws(StoreError) -> String? {
        let kept = "\(Path.folder(of: path))/.\(Path.base(of: path)).tmp-\(getpid())-old"
        unlink(kept)
        guard link(path, kept) == 0 else {
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
            guard rename(temporary, step.path) == 0 else {
                throw .unavailable(reason: "cannot replace \(step.path): \(Errno.text())")
            }
        } else {
            guard unlink(step.path) == 0 || errno == ENOENT else {
                throw .unavailable(reason: "cannot remove \(step.path): \(Errno.text())")
            }
        }
    }

    /// Puts back the old files of the steps made, newest first.
    private func rollBack(_ done: [Prepared]) {
        for step in done.reversed() {
            if let kept = step.kept {
                if rename(kept, step.path) != 0 { _ = link(kept, step.path) }
            } else {
                unlink(step.path)
            }
        }
        for folder in Set(done.map { Path.folder(of: $0.path) }) { AtomicFile.syncFolder(folder) }
    }

    /// Removes every temporary and kept link left, and the folders this commit made.
    private func discard(_ prepared: [Prepared], createdFolders: [String]) {
        for step in prepared {
            if let temporary = step.temporary { unlink(temporary) }
            if let kept = step.kept { unlink(kept) }
        }
        for folder in createdFolders.reversed() { rmdir(folder) }
    }
}
