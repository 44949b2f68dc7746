#if canImport(Glibc)
    import Glibc
#endif

/// One `kgate serve` per runtime folder: two would fight over the same pid file and
/// config, and the second would take the first one's nginx for a stale one. The kernel
/// drops the lock when the process dies, however it dies.
final class RuntimeLock: @unchecked Sendable {
    private var fd: Int32

    init(files: RuntimeFiles) throws(NginxRefusal) {
        fd = try files.openLock()
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw NginxRefusal("another kgate serve is using \(files.layout.folder); give another --runtime-dir")
        }
    }

    func release() {
        guard fd >= 0 else { return }
        close(fd)
        fd = -1
    }

    deinit { release() }
}
