import Glibc

/// A self-pipe: writing a byte wakes a thread blocked in `poll()` on the read end.
///
/// This is how another thread (`wake()`) and signal handlers interrupt the backend's wait
/// without a polling loop: `write(2)` is async-signal-safe, and both ends are non-blocking
/// so a full pipe (many wake-ups nobody read yet) never blocks the writer.
final class WakePipe: Sendable {
    let readEnd: Int32
    let writeEnd: Int32

    init?() {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { return nil }
        readEnd = ends[0]
        writeEnd = ends[1]
        for end in ends {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
    }

    deinit {
        close(readEnd)
        close(writeEnd)
    }

    /// Makes the read end readable. Safe from any thread and from a signal handler.
    func signal() {
        WakePipe.signal(writeEnd: writeEnd)
    }

    static func signal(writeEnd: Int32) {
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1)
    }

    /// Empties the pipe, so that the next `poll()` waits again.
    func drain() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(readEnd, &buffer, buffer.count) > 0 {}
    }
}
