import GatewayKit

#if canImport(Glibc)
    import Glibc
#endif

/// An exclusive lock on a workspace, held across one write (read, check, write, bump the
/// revision), so that two kgate processes never interleave their writes.
///
/// `flock` on `.kgate.lock`: the kernel releases it when the process dies, SIGKILL
/// included, so a killed writer never leaves the workspace locked. The lock file is
/// opened without following a symlink: a planted link must not make kgate create or
/// open a file elsewhere.
enum WorkspaceLock {
    static func withExclusiveLock<T>(
        root: String, _ body: () throws(StoreError) -> T
    ) throws(StoreError) -> T {
        let path = "\(root)/.kgate.lock"
        let fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            if errno == ELOOP {
                throw .unavailable(reason: "\(path) is a symlink; kgate locks only a file of its own (remove the link)")
            }
            throw .unavailable(reason: "cannot open \(path): \(Errno.text())")
        }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw .unavailable(reason: "cannot lock \(path): \(Errno.text())") }
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }
}
