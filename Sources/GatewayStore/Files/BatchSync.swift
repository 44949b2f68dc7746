import GatewayKit

#if canImport(Glibc)
    import Glibc
#endif

/// Makes many newly written files durable at once. One fsync per file costs a journal
/// commit each (about 6 ms on this project's disk, so a minute for 10,000 files); one
/// `syncfs` per file system commits them all together, and returns the write-back error
/// of any of them (Linux 5.8 and later).
enum BatchSync {
    /// Below this many files, each is fsynced itself: a `syncfs` also flushes what other
    /// programs left dirty on the same file system, which a single save must not wait for.
    static let threshold = 16

    /// Whether this system has `syncfs`; without it, each file is fsynced itself.
    static var isAvailable: Bool { syncFileSystem != nil }

    /// Flushes the file systems that hold these open folders, each once.
    static func sync(folders: [(path: String, descriptor: Int32)]) throws(StoreError) {
        guard let syncfs = syncFileSystem else { throw .unavailable(reason: "cannot sync the files written: no syncfs") }
        var synced: Set<UInt64> = []
        for folder in folders.sorted(by: { $0.path < $1.path }) {
            var info = stat()
            guard fstat(folder.descriptor, &info) == 0 else { throw .unavailable(reason: "cannot sync \(folder.path): \(Errno.text())") }
            guard synced.insert(UInt64(info.st_dev)).inserted else { continue }
            guard syncfs(folder.descriptor) == 0 else {
                throw .unavailable(reason: "cannot sync the files written in \(folder.path): \(Errno.text())")
            }
        }
    }

    /// Flushes the file systems that hold `folders` (each once). Falls back to fsyncing
    /// each of `files` where `syncfs` is missing.
    static func sync(files: [String], folders: Set<String>) throws(StoreError) {
        guard let syncfs = syncFileSystem else {
            for file in files { try syncOne(file) }
            return
        }
        var synced: Set<UInt64> = []
        for folder in folders.sorted() {
            var info = stat()
            guard stat(folder, &info) == 0 else { throw .unavailable(reason: "cannot sync \(folder): \(Errno.text())") }
            guard synced.insert(UInt64(info.st_dev)).inserted else { continue }
            let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard fd >= 0 else { throw .unavailable(reason: "cannot sync \(folder): \(Errno.text())") }
            let result = syncfs(fd)
            let reason = Errno.text()
            close(fd)
            guard result == 0 else { throw .unavailable(reason: "cannot sync the files written in \(folder): \(reason)") }
        }
    }

    /// fsyncs one written file.
    static func syncOne(_ file: String) throws(StoreError) {
        let fd = open(file, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .unavailable(reason: "cannot sync \(file): \(Errno.text())") }
        let result = fsync(fd)
        let reason = Errno.text()
        close(fd)
        guard result == 0 else { throw .unavailable(reason: "cannot sync \(file): \(reason)") }
    }

    /// glibc declares `syncfs` only for _GNU_SOURCE, which Swift's Glibc module does not
    /// see; it is looked up once instead.
    private static let syncFileSystem: (@convention(c) (Int32) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "syncfs") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int32) -> Int32).self)
    }()
}
