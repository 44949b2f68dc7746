import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Tells when anything changes below a folder, and which files, through inotify: a write by
/// this process, another kgate, or an editor. No polling: the watching thread sleeps in
/// `poll(2)` until the kernel has news or the watcher is stopped.
final class FolderWatcher: @unchecked Sendable {
    /// What one burst of events changed.
    enum Change: Hashable, Sendable {
        /// These files (full paths) were written, created, removed, renamed or re-moded;
        /// nothing else below the folder changed but hidden files.
        case files(Set<String>)
        /// Something the file names alone do not tell: a folder created, removed or
        /// renamed, or events lost to a full kernel queue. Everything must be looked at.
        case everything
    }

    private let root: String
    private let onChange: @Sendable (Change) -> Void
    private let lock = NSLock()
    private var inotify: Int32 = -1
    private var stopPipe: (read: Int32, write: Int32) = (-1, -1)
    private var watched: [Int32: String] = [:]
    /// Guards `handling`, and wakes `caughtUp` when a burst has been handed on.
    private let progress = NSCondition()
    /// The thread has woken for events and not yet handed all it read to `onChange`.
    private var handling = false
    /// Test seam: runs on the thread each time it wakes for events, before it reads them.
    var afterWake: (@Sendable () -> Void)?

    init(root: String, onChange: @escaping @Sendable (Change) -> Void) {
        self.root = root
        self.onChange = onChange
    }

    /// Starts the watching thread; false when inotify is not available.
    func start() -> Bool {
        let fd = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        guard fd >= 0 else { return false }
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else {
            close(fd)
            return false
        }
        lock.withLock {
            inotify = fd
            stopPipe = (fds[0], fds[1])
        }
        addWatches(below: root)
        let thread = Thread { [self] in run() }
        thread.name = "kgate.workspace-watcher"
        thread.start()
        return true
    }

    func stop() {
        lock.withLock {
            if stopPipe.write >= 0 {
                var byte: UInt8 = 1
                _ = write(stopPipe.write, &byte, 1)
            }
        }
    }

    /// Waits until every event the kernel queued before the call has been handed to
    /// `onChange`: a change another process finished before this call has been reported
    /// then. inotify queues an event when the change is made, so a writer holding the
    /// workspace lock can trust what was reported rather than look at every file. False
    /// when that cannot be told within `timeout` (a burst still in hand, the watcher
    /// stopped): then nothing may be assumed.
    func caughtUp(timeout: Duration = .seconds(2)) -> Bool {
        let deadline = ContinuousClock.now + timeout
        progress.lock()
        defer { progress.unlock() }
        while true {
            // Under `lock`: the thread closes the descriptor under it when it stops.
            let queued = lock.withLock { () -> Int32? in
                var count: Int32 = 0
                return inotify >= 0 && ioctl(inotify, UInt(FIONREAD), &count) == 0 ? count : nil
            }
            guard let queued else { return false }
            if !handling, queued == 0 { return true }
            guard ContinuousClock.now < deadline else { return false }
            // The thread broadcasts when it has handed a burst on; the short wait covers
            // events it has not woken for yet.
            _ = progress.wait(until: Date().addingTimeInterval(0.002))
        }
    }

    private var mask: UInt32 {
        UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_CREATE | IN_ATTRIB)
    }

    private func addWatches(below folder: String) {
        var folders = [folder]
        while let current = folders.popLast() {
            let wd = inotify_add_watch(inotify, current, mask)
            if wd >= 0 { lock.withLock { watched[wd] = current } }
            let names = (try? FileManager.default.contentsOfDirectory(atPath: current)) ?? []
            for name in names where !name.hasPrefix(".") {
                let path = "\(current)/\(name)"
                var info = stat()
                if stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR { folders.append(path) }
            }
        }
    }

    private func run() {
        let (fd, stopFD) = lock.withLock { (inotify, stopPipe.read) }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        defer {
            lock.withLock {
                close(inotify)
                close(stopPipe.read)
                close(stopPipe.write)
                inotify = -1
                stopPipe = (-1, -1)
            }
        }
        while true {
            var fds = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0), pollfd(fd: stopFD, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 2, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                return
            }
            if fds[1].revents != 0 { return }
            afterWake?()
            progress.withLock { handling = true }
            var burst = Burst()
            while true {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n <= 0 { break }
                handle(buffer: buffer, count: n, into: &burst)
            }
            if burst.relevant { onChange(burst.everything ? .everything : .files(burst.files)) }
            progress.withLock {
                handling = false
                progress.broadcast()
            }
        }
    }

    /// What the events read so far say.
    private struct Burst {
        var relevant = false
        var everything = false
        var files: Set<String> = []
    }

    /// Adds watches on new folders, and notes which files changed; an event is relevant
    /// when it concerns a manifest, a folder or the revision file.
    private func handle(buffer: [UInt8], count: Int, into burst: inout Burst) {
        var offset = 0
        let header = MemoryLayout<inotify_event>.size
        while offset + header <= count {
            let (wd, eventMask, length) = buffer.withUnsafeBytes { raw -> (Int32, UInt32, Int) in
                let event = raw.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                return (event.wd, event.mask, Int(event.len))
            }
            let nameBytes = buffer[(offset + header)..<min(count, offset + header + length)].prefix { $0 != 0 }
            let name = String(decoding: nameBytes, as: UTF8.self)
            offset += header + length
            if eventMask & UInt32(IN_Q_OVERFLOW) != 0 {
                burst.relevant = true
                burst.everything = true
                continue
            }
            guard !name.hasPrefix(".") || name == ".kgate-revision" else { continue }
            burst.relevant = true
            let parent = lock.withLock { watched[wd] }
            if eventMask & UInt32(IN_ISDIR) != 0 || name.isEmpty {
                // A folder, or a watched folder itself (its mode, its removal).
                burst.everything = true
                if eventMask & UInt32(IN_CREATE | IN_MOVED_TO) != 0, let parent { addWatches(below: "\(parent)/\(name)") }
            } else if let parent, !name.hasPrefix(".") {
                burst.files.insert("\(parent)/\(name)")
            } else if parent == nil {
                burst.everything = true
            }
        }
    }
}
