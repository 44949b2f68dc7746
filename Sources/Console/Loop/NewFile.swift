import Glibc

/// Writes a file that must not exist yet: the console never overwrites what an operator
/// saved before, and never writes through a symlink.
enum NewFile {
    /// Nil when written; else why not, in the system's words.
    static func write(_ text: String, to path: String) -> String? {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            return errno == EEXIST ? "it exists already; move it away first" : String(cString: strerror(errno))
        }
        var failure: String?
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                failure = String(cString: strerror(errno))
                break
            }
            bytes = bytes.dropFirst(written)
        }
        if failure == nil && fsync(descriptor) != 0 { failure = String(cString: strerror(errno)) }
        close(descriptor)
        // A half-written file would pass for a saved one: it goes.
        if failure != nil { unlink(path) }
        return failure
    }
}
