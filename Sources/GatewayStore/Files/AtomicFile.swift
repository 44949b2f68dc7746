import GatewayKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The file primitives of durable writes: a reader, or a writer killed at any moment,
/// sees a file either as it was or as it was meant to be, never half-written.
///
/// The sequence is the classic one: write a temporary file in the same folder, fsync it,
/// rename it over the target, fsync the folder so that the rename itself is on disk.
/// `FileCommit` makes several such writes all or nothing.
enum AtomicFile {
    /// Writes `text` to a new file at `path` with exactly `mode`, and fsyncs it unless
    /// `sync` is false (a batch syncs all its files at once: `BatchSync`). Refuses a file
    /// already there, a symlink included (`O_EXCL | O_NOFOLLOW`).
    static func writeNew(_ text: String, to path: String, mode: mode_t, sync: Bool = true) throws(StoreError) {
        try writeNew(Array(text.utf8), to: path, mode: mode, sync: sync)
    }

    static func writeNew(_ bytes: [UInt8], to path: String, mode: mode_t, sync: Bool = true) throws(StoreError) {
        unlink(path)  // a temporary of ours left by a killed writer with our pid
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard fd >= 0 else { throw .unavailable(reason: "cannot create \(path): \(Errno.text())") }
        func fail(_ action: String) -> StoreError {
            let reason = Errno.text()
            close(fd)
            unlink(path)
            return .unavailable(reason: "cannot \(action) \(path): \(reason)")
        }
        // The umask must not loosen or tighten what was asked (0600 for Secrets).
        guard fchmod(fd, mode) == 0 else { throw fail("set the mode of") }
        var written = 0
        while written < bytes.count {
            let offset = written
            let n = bytes.withUnsafeBytes { buffer in
                Glibc.write(fd, buffer.baseAddress.map { $0 + offset }, bytes.count - offset)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw fail("write")
            }
            written += n
        }
        if sync { guard fsync(fd) == 0 else { throw fail("sync") } }
        close(fd)
    }

    /// The file's text, or the OS error that kept it from being read.
    static func read(_ path: String) -> Result<String, ReadFailure> {
        readBytes(path).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The file's bytes, or the OS error that kept them from being read.
    static func readBytes(_ path: String) -> Result<[UInt8], ReadFailure> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(ReadFailure(path: path, code: errno)) }
        defer { close(fd) }
        // Sized by fstat, one byte over so that the end shows in the first read; a file
        // that grows meanwhile is still read whole.
        var info = stat()
        let expected = fstat(fd, &info) == 0 ? max(Int(info.st_size), 0) : 0
        var data = [UInt8](repeating: 0, count: expected + 1)
        var filled = 0
        while true {
            if filled == data.count { data.append(contentsOf: repeatElement(0, count: data.count)) }
            let n = data.withUnsafeMutableBytes { buffer in
                buffer.baseAddress.map { Glibc.read(fd, $0 + filled, buffer.count - filled) } ?? -1
            }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(ReadFailure(path: path, code: errno))
            }
            if n == 0 { break }
            filled += n
        }
        data.removeSubrange(filled...)
        return .success(data)
    }

    static func syncFolder(_ folder: String) {
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }
}

/// A file or folder that could not be read, with the OS's reason (`Permission denied`).
struct ReadFailure: Error, Hashable, Sendable {
    var path: String
    var code: Int32
    var reason: String { Errno.text(code) }
}

enum Errno {
    static func text(_ code: Int32 = errno) -> String { String(cString: strerror(code)) }
}

/// Small path helpers; paths are plain strings, `/`-separated.
enum Path {
    /// The last `/` as a byte: a separator even when the name after it starts with a
    /// combining mark (which would make `/` part of a larger character), and found
    /// without breaking the path into characters.
    private static func lastSlash(_ path: String) -> String.Index? { path.utf8.lastIndex(of: UInt8(ascii: "/")) }

    static func folder(of path: String) -> String {
        guard let slash = lastSlash(path) else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func base(of path: String) -> String {
        guard let slash = lastSlash(path) else { return path }
        return String(path[path.utf8.index(after: slash)...])
    }

    /// Makes `folder` and its missing parents with `mode`; returns the folders it made,
    /// outermost first, so that a refused write can remove them again.
    @discardableResult
    static func makeFolders(_ folder: String, mode: mode_t = 0o755) throws(StoreError) -> [String] {
        var current = folder.hasPrefix("/") ? "" : "."
        var created: [String] = []
        for part in folder.split(separator: "/") {
            current += "/\(part)"
            if mkdir(current, mode) == 0 {
                chmod(current, mode)  // the umask must not loosen or tighten it
                created.append(current)
            } else if errno != EEXIST {
                let reason = Errno.text()
                for made in created.reversed() { rmdir(made) }
                throw .unavailable(reason: "cannot create folder \(current): \(reason)")
            }
        }
        return created
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }
}
