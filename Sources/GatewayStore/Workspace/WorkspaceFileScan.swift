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

    /// Every `.yaml`, `.yml` and `.json` file below `root`, hidden ones left out, sorted
    /// by path.
    static func scan(root: String) -> Listing {
        var listing = Listing(files: [], leftovers: [], unreadable: [])
        collect(folder: root, into: &listing)
        return listing
    }

    /// Appends the manifests below `folder` to `listing`, in path order: the folder's
    /// entries sorted by name, a folder's name with the `/` that follows it in its files'
    /// paths, and each folder's files in its place. (Sorting the whole listing by path
    /// compared 100,000 long paths as text: a fifth of reading them.)
    private static func collect(folder: String, into listing: inout Listing) {
        let names: [String]
        switch FolderListing.names(in: folder) {
        case .success(let listed): names = listed
        case .failure(let failure):
            listing.unreadable.append(failure)
            return
        }
        var visible: [String] = []
        visible.reserveCapacity(names.count)
        for name in names {
            if name.hasPrefix(".") {
                if name.contains(".tmp-") { listing.leftovers.append("\(folder)/\(name)") }
                continue
            }
            visible.append(name)
        }
        var kept: [(name: String, examined: Examined)] = []
        kept.reserveCapacity(visible.count)
        for (name, examined) in zip(visible, examine(visible, in: folder)) {
            switch examined {
            case .failure(let code):
                if code != ENOENT { listing.unreadable.append(ReadFailure(path: "\(folder)/\(name)", code: code)) }
            case .folder: kept.append((name, examined))
            case .file: if isManifest(name: name) { kept.append((name, examined)) }
            }
        }
        let keys = kept.map { entry -> String in
            if case .folder = entry.examined { return entry.name + "/" }
            return entry.name
        }
        for index in PathOrder.sorted(keys) {
            let path = "\(folder)/\(kept[index].name)"
            switch kept[index].examined {
            case .folder: collect(folder: path, into: &listing)
            case .file(let stamp): listing.files.append((path, stamp))
            case .failure: break
            }
        }
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

/// The order of strings as `<` sorts them, worked out fast for ASCII: compared as text,
/// each pair of 100,000 file names cost as much as reading the file's index entry.
enum PathOrder {
    /// The indices of `keys` in the order `keys.sorted()` would give them.
    static func sorted(_ keys: [String]) -> [Int] {
        guard keys.count > 1 else { return Array(keys.indices) }
        // Each key's 16 bytes after the prefix all share, big-endian, zero-padded (names hold
        // no zero byte): ASCII text orders as its bytes do.
        let shared = sharedPrefixLength(keys)
        var packed: [(high: UInt64, low: UInt64, index: Int)] = []
        packed.reserveCapacity(keys.count)
        for (index, key) in keys.enumerated() {
            let words = key.utf8.withContiguousStorageIfAvailable { bytes -> (UInt64, UInt64)? in
                guard !bytes.contains(where: { $0 >= 0x80 }) else { return nil }
                var high: UInt64 = 0
                var low: UInt64 = 0
                for offset in 0..<16 {
                    let byte = shared + offset < bytes.count ? UInt64(bytes[shared + offset]) : 0
                    if offset < 8 { high = high << 8 | byte } else { low = low << 8 | byte }
                }
                return (high, low)
            }
            guard let (high, low) = words ?? nil else {
                // Not ASCII: as text.
                return keys.indices.sorted { keys[$0] < keys[$1] }
            }
            packed.append((high, low, index))
        }
        packed.sort { a, b in
            if a.high != b.high { return a.high < b.high }
            if a.low != b.low { return a.low < b.low }
            return keys[a.index].utf8.lexicographicallyPrecedes(keys[b.index].utf8)
        }
        return packed.map(\.index)
    }

    /// How many leading bytes every key shares.
    private static func sharedPrefixLength(_ keys: [String]) -> Int {
        let first = Array(keys[0].utf8)
        var length = first.count
        for key in keys.dropFirst() {
            var matched = 0
            for byte in key.utf8.prefix(length) {
                guard byte == first[matched] else { break }
                matched += 1
            }
            length = matched
            if length == 0 { break }
        }
        return length
    }
}
