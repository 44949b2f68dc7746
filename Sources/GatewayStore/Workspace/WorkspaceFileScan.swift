import Dispatch
import GatewayKit

#if canImport(Glibc)
    import Glibc
#endif

/// How a manifest file is known between reads: a change by anyone (an editor, `git pull`,
/// another kgate) changes at least one of these, but for a rewrite of the same size
/// within one clock tick (see `WorkspaceIndex.racyWindow`). The status change time is
/// there because no one can set it back, as `touch -d` sets the modification time back.
struct FileStamp: Hashable, Sendable {
    var inode: UInt64
    var size: Int64
    /// Nanoseconds since the epoch.
    var modified: Int64
    /// The status change time (ctime), in nanoseconds since the epoch.
    var changed: Int64

    /// The latest of the two times: what a change within one clock tick would share.
    var latest: Int64 { max(modified, changed) }
}

/// The manifest files below a workspace root, each with its stamp.
enum WorkspaceFileScan {
    struct Listing {
        var files: [(path: String, stamp: FileStamp)]
        /// Temporary files of writers killed mid-write (`.<name>.tmp-<pid>`).
        var leftovers: [String]
        /// Folders and files that could not be listed or examined.
        var unreadable: [ReadFailure]
    }

    /// Every `.yaml`, `.yml` and `.json` file below `root`, hidden ones left out, sorted.
    static func scan(root: String) -> Listing {
        // Labelled as `Listing.files` is: an unlabelled array is converted by copying it.
        var found: [(path: String, stamp: FileStamp)] = []
        var leftovers: [String] = []
        var unreadable: [ReadFailure] = []
        var folders = [root]
        while let folder = folders.popLast() {
            let names: [String]
            switch FolderListing.names(in: folder) {
            case .success(let listed): names = listed
            case .failure(let failure):
                unreadable.append(failure)
                continue
            }
            var visible: [String] = []
            visible.reserveCapacity(names.count)
            for name in names {
                if name.hasPrefix(".") {
                    if name.contains(".tmp-") { leftovers.append("\(folder)/\(name)") }
                    continue
                }
                visible.append(name)
            }
            for (name, examined) in zip(visible, examine(visible, in: folder)) {
                let path = "\(folder)/\(name)"
                switch examined {
                case .failure(let code):
                    if code != ENOENT { unreadable.append(ReadFailure(path: path, code: code)) }
                case .folder: folders.append(path)
                case .file(let stamp): if isManifest(name: name) { found.append((path, stamp)) }
                }
            }
        }
        return Listing(files: found.sorted { $0.path < $1.path }, leftovers: leftovers, unreadable: unreadable)
    }

    private enum Examined: Sendable {
        case folder
        case file(FileStamp)
        case failure(Int32)
    }

    /// `stat` of each name in `folder` (symbolic links followed), relative to the folder's
    /// descriptor; a large folder's names are examined on every core.
    private static func examine(_ names: [String], in folder: String) -> [Examined] {
        let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        defer { if descriptor >= 0 { close(descriptor) } }
        let results = Slots(count: names.count)
        defer { results.buffer.deallocate() }
        let examineRange: @Sendable (Range<Int>) -> Void = { range in
            for index in range {
                var info = stat()
                let status = descriptor >= 0 ? fstatat(descriptor, names[index], &info, 0) : stat("\(folder)/\(names[index])", &info)
                if status != 0 {
                    results.buffer[index] = .failure(errno)
                } else if (info.st_mode & S_IFMT) == S_IFDIR {
                    results.buffer[index] = .folder
                } else {
                    results.buffer[index] = .file(stamp(info))
                }
            }
        }
        let chunk = 2048
        if names.count > chunk {
            DispatchQueue.concurrentPerform(iterations: (names.count + chunk - 1) / chunk) { part in
                examineRange(part * chunk..<min(names.count, (part + 1) * chunk))
            }
        } else {
            examineRange(0..<names.count)
        }
        return Array(results.buffer)
    }

    /// One slot a name, each written by one worker alone.
    private final class Slots: @unchecked Sendable {
        let buffer: UnsafeMutableBufferPointer<Examined>

        init(count: Int) {
            buffer = .allocate(capacity: count)
            buffer.initialize(repeating: .failure(0))
        }
    }

    /// Whether a file of this name is a manifest (hidden files are not).
    static func isManifest(name: String) -> Bool {
        !name.hasPrefix(".") && (name.hasSuffix(".yaml") || name.hasSuffix(".yml") || name.hasSuffix(".json"))
    }

    static func stamp(_ info: stat) -> FileStamp {
        FileStamp(
            inode: UInt64(info.st_ino), size: Int64(info.st_size), modified: nanoseconds(info.st_mtim),
            changed: nanoseconds(info.st_ctim))
    }

    static func nanoseconds(_ time: timespec) -> Int64 {
        Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }

    /// The wall clock now, in the file times' unit.
    static func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return nanoseconds(time)
    }
}
