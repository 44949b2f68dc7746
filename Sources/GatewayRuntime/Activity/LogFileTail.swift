import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Reads what was appended to a log file since the last read: it remembers the offset
/// and the file's inode, starts over from the beginning when the file was replaced
/// (rotation: another inode) or truncated (smaller than the offset), and keeps a line
/// nginx has only half written until its line break arrives.
///
///     var tail = LogFileTail(path: layout.accessLog(project: "demo"))
///     for line in tail.readNew() { … }
struct LogFileTail: Sendable {
    let path: String
    private var inode: ino_t?
    private var offset: off_t = 0
    private var partial: [UInt8] = []

    /// Set by `skip(toLast:)`: the first bytes read may end a line that began before them.
    private var startsMidLine = false

    init(path: String) { self.path = path }

    /// Starts the next read `bytes` before the end, at a line start, so that the last
    /// lines of a large log are found without reading all of it.
    mutating func skip(toLast bytes: Int) {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size > off_t(bytes) else { return }
        inode = info.st_ino
        offset = info.st_size - off_t(bytes)
        partial = []
        startsMidLine = true
    }

    /// Whether the file exists now.
    var exists: Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// Starts the next read near the first line whose time (by `time`, for lines in time
    /// order) is `start` or later, found by bisecting the file, so that the requests of
    /// the last minutes are found in a log of days. Lines before `start` may still be
    /// read (up to 64 KiB of them); the caller filters by time anyway.
    mutating func skip(toTime start: Double, time: (Substring) -> Double?) {
        let file = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard file >= 0 else { return }
        defer { close(file) }
        var info = stat()
        guard fstat(file, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return }
        var (low, high) = (off_t(0), info.st_size)
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while high - low > 65_536 {
            let middle = low + (high - low) / 2
            let count = buffer.withUnsafeMutableBytes { pread(file, $0.baseAddress, $0.count, middle) }
            guard count > 0 else { break }
            let text = String(decoding: buffer[0..<count], as: UTF8.self)
            // The first whole line after the cut; without one (a huge line) stop narrowing.
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropFirst()
            guard lines.count > 1, let first = lines.first, let stamp = time(first) else { break }
            if stamp < start { low = middle } else { high = middle }
        }
        inode = info.st_ino
        offset = low
        partial = []
        startsMidLine = low > 0
    }

    /// The complete lines written since the last call (all of them on the first call).
    mutating func readNew() -> [String] {
        let file = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard file >= 0 else { return [] }
        defer { close(file) }
        var info = stat()
        guard fstat(file, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return [] }
        if inode != info.st_ino || info.st_size < offset {
            inode = info.st_ino
            offset = 0
            partial = []
            startsMidLine = false
        }
        var lines: [String] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { pread(file, $0.baseAddress, $0.count, offset) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            offset += off_t(count)
            var start = 0
            for index in 0..<count where buffer[index] == UInt8(ascii: "\n") {
                partial.append(contentsOf: buffer[start..<index])
                if startsMidLine {
                    startsMidLine = false
                    partial.removeAll(keepingCapacity: true)
                    start = index + 1
                    continue
                }
                lines.append(String(decoding: partial, as: UTF8.self))
                partial.removeAll(keepingCapacity: true)
                start = index + 1
            }
            partial.append(contentsOf: buffer[start..<count])
        }
        return lines
    }
}
