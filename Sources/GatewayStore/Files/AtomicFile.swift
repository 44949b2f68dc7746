import GatewayKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Durable file writes: a reader, or a writer killed at any moment, sees a file either as
/// it was or as it was meant to be, never half-written.
///
/// The sequence is the classic one: write a temporary file in the same folder, fsync it,
/// rename it over the target, fsync the folder so that the rename itself is on disk.
enum AtomicFile {
    static func write(_ text: String, to path: String) throws(StoreError) {
        let folder = Path.folder(of: path)
        try Path.makeFolders(folder)
        let temporary = "\(folder)/.\(Path.base(of: path)).tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .unavailable(reason: "cannot create \(temporary): \(Errno.text())") }
        let bytes = Array(text.utf8)
        let total = bytes.count
        var written = 0
        while written < total {
            let offset = written
            let n = bytes.withUnsafeBytes { buffer in
                Glibc.write(fd, buffer.baseAddress.map { $0 + offset }, total - offset)
            }
            if n < 0 {
                if errno == EINTR { continue }
                let reason = Errno.text()
                close(fd)
                unlink(temporary)
                throw .unavailable(reason: "cannot write \(temporary): \(reason)")
            }
            written += n
        }
        if fsync(fd) != 0 {
            let reason = Errno.text()
            close(fd)
            unlink(temporary)
            throw .unavailable(reason: "cannot sync \(temporary): \(reason)")
        }
        close(fd)
        guard rename(temporary, path) == 0 else {
            let reason = Errno.text()
            unlink(temporary)
            throw .unavailable(reason: "cannot replace \(path): \(reason)")
        }
        syncFolder(folder)
    }

    static func remove(_ path: String) throws(StoreError) {
        guard unlink(path) == 0 || errno == ENOENT else {
            throw .unavailable(reason: "cannot remove \(path): \(Errno.text())")
        }
        syncFolder(Path.folder(of: path))
    }

    static func read(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, 65536) }
            if n < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if n == 0 { break }
            data.append(contentsOf: chunk[0..<n])
        }
        return String(decoding: data, as: UTF8.self)
    }

    private static func syncFolder(_ folder: String) {
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }
}

enum Errno {
    static func text(_ code: Int32 = errno) -> String { String(cString: strerror(code)) }
}

/// Small path helpers; paths are plain strings, `/`-separated.
enum Path {
    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func base(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    static func makeFolders(_ folder: String) throws(StoreError) {
        var current = folder.hasPrefix("/") ? "" : "."
        for part in folder.split(separator: "/") {
            current += "/\(part)"
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                throw .unavailable(reason: "cannot create folder \(current): \(Errno.text())")
            }
        }
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }
}
