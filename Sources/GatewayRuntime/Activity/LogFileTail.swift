import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Reads what was appended to a log file since the last read, as `tail -F` follows it. It
/// keeps the file open and reads from where the last read ended; a line nginx has only
/// half written waits for its line break. A file truncated in place is read again from
/// its start. A file rotated away (renamed, another file made in its place) is read to its
/// end first, and for a while after (nginx writes into it until it reopens its logs), then
/// the new file from its start: no line is lost or read twice across the rename.
///
///     let tail = LogFileTail(path: layout.accessLog(project: "demo"))
///     for line in tail.readNew() { … }
///
/// One owner reads it at a time (an actor, or the thread following the log).
final class LogFileTail: @unchecked Sendable {
    let path: String
    /// The file now at `path`, as last opened.
    private var current: OpenLogFile?
    /// The file rotated away from `path`, still read until it has been quiet a while.
    private var rotated: OpenLogFile?
    private var rotatedSince = ContinuousClock.now
    /// How long a rotated file is still read after the rotation was seen: nginx's workers
    /// write into it until each has handled the reopen signal, which takes milliseconds.
    static let rotatedGrace = Duration.seconds(2)

    init(path: String) { self.path = path }

    /// The name the rotation gives the previous file (`kgate serve` keeps one).
    static func rotatedPath(of path: String) -> String { path + LogRotation.rotatedSuffix }

    /// Starts the next read `bytes` before the end, at a line start, so that the last
    /// lines of a large log are found without reading all of it.
    func skip(toLast bytes: Int) {
        guard let file = OpenLogFile(path: path), file.size > off_t(bytes) else { return }
        file.offset = file.size - off_t(bytes)
        file.startsMidLine = true
        current = file
    }

    /// Whether the file exists now.
    var exists: Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// Starts the next read near the first line whose time (by `time`, for lines in time
    /// order) is `start` or later, found by bisecting the file, so that the requests of
    /// the last minutes are found in a log of days. Lines before `start` may still be
    /// read (up to 64 KiB of them); the caller filters by time anyway. When the file
    /// begins after `start` and the rotated file (`rotatedPath`) is there, the window's
    /// part of that one is read first.
    func skip(toTime start: Double, time: (Substring) -> Double?) {
        guard let file = OpenLogFile(path: path) else { return }
        file.skip(toTime: start, time: time)
        current = file
        guard file.offset == 0, file.firstLineTime(time).map({ $0 > start }) ?? true,
            let older = OpenLogFile(path: Self.rotatedPath(of: path)), older.inode != file.inode
        else { return }
        older.skip(toTime: start, time: time)
        rotated = older
        rotatedSince = .now
    }

    /// The complete lines written since the last call (all of them on the first call).
    func readNew() -> [String] {
        var lines: [String] = []
        if let rotated {
            let count = rotated.readLines(into: &lines)
            if count == 0, ContinuousClock.now - rotatedSince > Self.rotatedGrace { self.rotated = nil }
        }
        if current == nil { current = OpenLogFile(path: path) }
        guard let file = current else { return lines }
        file.readLines(into: &lines)
        // Rotated: another file at the path now. The old one was read to its end above.
        var info = stat()
        if lstat(path, &info) == 0, info.st_ino != file.inode || info.st_dev != file.device,
            let next = OpenLogFile(path: path)
        {
            rotated = file
            rotatedSince = .now
            current = next
            next.readLines(into: &lines)
        }
        return lines
    }
}

/// An open log file and where its reading stands.
final class OpenLogFile {
    let descriptor: Int32
    let inode: ino_t
    let device: dev_t
    var offset: off_t = 0
    /// The first bytes read may end a line that began before them (after a skip).
    var startsMidLine = false
    private var partial: [UInt8] = []
    private var buffer = [UInt8](repeating: 0, count: 65_536)

    /// Opens the regular file at `path`; nil when there is none.
    init?(path: String) {
        let file = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard file >= 0 else { return nil }
        var info = stat()
        guard fstat(file, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(file)
            return nil
        }
        descriptor = file
        inode = info.st_ino
        device = info.st_dev
    }

    deinit { close(descriptor) }

    var size: off_t {
        var info = stat()
        return fstat(descriptor, &info) == 0 ? info.st_size : 0
    }

    /// Appends the complete lines written since the last read to `lines`; returns how many
    /// bytes were read. A file now shorter than the offset was truncated: read from 0.
    @discardableResult
    func readLines(into lines: inout [String]) -> Int {
        if size < offset {
            offset = 0
            partial = []
            startsMidLine = false
        }
        var total = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, offset) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            offset += off_t(count)
            total += count
            buffer.withUnsafeBufferPointer { bytes in
                var start = 0
                while let newline = bytes[start..<count].firstIndex(of: UInt8(ascii: "\n")) {
                    if startsMidLine {
                        startsMidLine = false
                        partial.removeAll(keepingCapacity: true)
                    } else if partial.isEmpty {
                        lines.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<newline]), as: UTF8.self))
                    } else {
                        partial.append(contentsOf: bytes[start..<newline])
                        lines.append(String(decoding: partial, as: UTF8.self))
                        partial.removeAll(keepingCapacity: true)
                    }
                    start = newline + 1
                }
                partial.append(contentsOf: bytes[start..<count])
            }
        }
        return total
    }

    /// The time of the file's first line, when it has one.
    func firstLineTime(_ time: (Substring) -> Double?) -> Double? {
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, min($0.count, 16_384), 0) }
        guard count > 0, let end = buffer[0..<count].firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        return time(Substring(String(decoding: buffer[0..<end], as: UTF8.self)))
    }

    /// Sets the offset near the first line whose time is `start` or later, by bisection.
    func skip(toTime start: Double, time: (Substring) -> Double?) {
        var (low, high) = (off_t(0), size)
        while high - low > 65_536 {
            let middle = low + (high - low) / 2
            let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, min($0.count, 16_384), middle) }
            guard count > 0 else { break }
            let text = String(decoding: buffer[0..<count], as: UTF8.self)
            // The first whole line after the cut; without one (a huge line) stop narrowing.
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropFirst()
            guard lines.count > 1, let first = lines.first, let stamp = time(first) else { break }
            if stamp < start { low = middle } else { high = middle }
        }
        offset = low
        partial = []
        startsMidLine = low > 0
    }
}
