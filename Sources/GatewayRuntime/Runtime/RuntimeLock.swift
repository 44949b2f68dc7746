#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One `kgate serve` per runtime folder: two would fight over the same pid file and
/// config, and the second would take the first one's nginx for a stale one. The kernel
/// drops the lock when the process dies, however it dies.
final class RuntimeLock: @unchecked Sendable {
    private var fd: Int32

    init(layout: NginxLayout) throws(NginxRefusal) {
        let path = "\(layout.folder)/serve.lock"
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw NginxRefusal("cannot open \(path): \(String(cString: strerror(errno)))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw NginxRefusal("another kgate serve is using \(layout.folder); give another --runtime-dir")
        }
    }

    func release() {
        guard fd >= 0 else { return }
        close(fd)
        fd = -1
    }

    deinit { release() }
}
