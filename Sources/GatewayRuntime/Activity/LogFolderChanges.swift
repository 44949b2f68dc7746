import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Tells a log follower when some of the files it follows in a folder changed: written,
/// created, renamed or removed (a rotation), through inotify on the folder, so that a
/// renamed or recreated file is still seen. Coalesced: after each wake-up the next one
/// waits at least `coalescing`, the kernel queueing (and merging) the events meanwhile,
/// so that nginx writing a thousand lines a second wakes the follower at most 1 s /
/// `coalescing` times, each read taking all the lines written since.
///
///     let changes = LogFolderChanges(folder: layout.logsFolder, names: ["error.log"])
///     while changes.wait() { read the new lines }   // false once stopped
///
/// `wait` is called from one thread; `stop` from any.
final class LogFolderChanges: @unchecked Sendable {
    /// How often the files are looked at when inotify cannot be used (no inotify in the
    /// kernel or the container, the user's inotify instances or watches used up, or the
    /// folder not there yet): the only reason to poll, so slow.
    static let fallbackInterval = Duration.milliseconds(500)

    private let folder: String
    private let names: Set<String>
    private let coalescing: Duration
    private var inotify: Int32 = -1
    /// A write to it ends `wait`; both ends closed in `deinit`.
    private let stopPipe: (read: Int32, write: Int32)
    private var lastWake: ContinuousClock.Instant?
    private var buffer = [UInt8](repeating: 0, count: 16_384)

    init(folder: String, names: Set<String>, coalescing: Duration = .milliseconds(50)) {
        self.folder = folder
        self.names = names
        self.coalescing = coalescing
        var fds: [Int32] = [-1, -1]
        stopPipe = pipe(&fds) == 0 ? (fds[0], fds[1]) : (-1, -1)
        for fd in fds where fd >= 0 { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        watch()
    }

    deinit {
        if inotify >= 0 { close(inotify) }
        if stopPipe.read >= 0 {
            close(stopPipe.read)
            close(stopPipe.write)
        }
    }

    /// Whether changes come from inotify (false: the slow poll).
    var usesInotify: Bool { inotify >= 0 }

    /// Ends the current or next `wait`.
    func stop() {
        var byte: UInt8 = 1
        if stopPipe.write >= 0 { _ = write(stopPipe.write, &byte, 1) }
    }

    /// Blocks until one of the files changed (or the fallback interval passed); false once
    /// stopped.
    func wait() -> Bool {
        if let lastWake {
            // Coalescing: sleep out the rest of the interval, still answering `stop`.
            let rest = coalescing - (ContinuousClock.now - lastWake)
            if rest > .zero, stopRequested(waiting: rest) { return false }
        }
        defer { lastWake = .now }
        while true {
            if inotify < 0 {
                // Retried on each round: the folder may appear (kgate serve starting).
                watch()
                if inotify < 0 { return !stopRequested(waiting: Self.fallbackInterval) }
            }
            var fds = [pollfd(fd: inotify, events: Int16(POLLIN), revents: 0), pollfd(fd: stopPipe.read, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 2, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                return false
            }
            if fds[1].revents != 0 { return false }
            switch drainEvents() {
            case .relevant: return true
            case .none: continue
            case .folderGone:
                // The folder was removed or moved: watch it again once it is back.
                close(inotify)
                inotify = -1
                return true
            }
        }
    }

    private enum Drained { case none, relevant, folderGone }

    /// Reads every queued event; whether one concerns a followed file.
    private func drainEvents() -> Drained {
        var result = Drained.none
        let header = MemoryLayout<inotify_event>.size
        while true {
            let count = buffer.withUnsafeMutableBytes { read(inotify, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return result }
            var offset = 0
            while offset + header <= count {
                let (mask, length) = buffer.withUnsafeBytes { raw -> (UInt32, Int) in
                    let event = raw.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                    return (event.mask, Int(event.len))
                }
                let name = String(decoding: buffer[(offset + header)..<min(count, offset + header + length)].prefix { $0 != 0 }, as: UTF8.self)
                offset += header + length
                if mask & UInt32(IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF) != 0 {
                    result = .folderGone
                } else if mask & UInt32(IN_Q_OVERFLOW) != 0 || names.contains(name), result == .none {
                    result = .relevant
                }
            }
        }
    }

    /// Waits up to `duration` on the stop pipe alone; whether a stop was asked for.
    private func stopRequested(waiting duration: Duration) -> Bool {
        var descriptor = pollfd(fd: stopPipe.read, events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32(max(1, duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000))
        while true {
            let ready = poll(&descriptor, 1, milliseconds)
            if ready < 0, errno == EINTR { continue }
            return ready > 0 || stopPipe.read < 0
        }
    }

    private func watch() {
        let fd = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        guard fd >= 0 else { return }
        let mask = UInt32(IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF)
        guard inotify_add_watch(fd, folder, mask) >= 0 else {
            close(fd)
            return
        }
        inotify = fd
    }
}
