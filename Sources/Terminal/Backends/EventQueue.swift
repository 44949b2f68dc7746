import Glibc

/// A thread-safe FIFO of events whose reader can block until an event or a wake-up comes.
///
/// The in-memory backend's input: tests enqueue from any thread, and `wake()` from another
/// thread must release a reader blocked in `next`, as with the real terminal's self-pipe.
final class EventQueue: @unchecked Sendable {
    // All stored state is guarded by `mutex`; the condition is signalled under it.
    private var mutex = pthread_mutex_t()
    private var condition = pthread_cond_t()
    private var events: [TerminalEvent] = []
    private var woken = false

    init() {
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&condition, nil)
    }

    deinit {
        pthread_cond_destroy(&condition)
        pthread_mutex_destroy(&mutex)
    }

    func append(_ newEvents: [TerminalEvent]) {
        pthread_mutex_lock(&mutex)
        events.append(contentsOf: newEvents)
        pthread_cond_broadcast(&condition)
        pthread_mutex_unlock(&mutex)
    }

    func wake() {
        pthread_mutex_lock(&mutex)
        woken = true
        pthread_cond_broadcast(&condition)
        pthread_mutex_unlock(&mutex)
    }

    var count: Int {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return events.count
    }

    /// The next event; nil after a wake-up, or once `timeoutMilliseconds` passed (at once
    /// when `blocking` is false and nothing is queued).
    func next(timeoutMilliseconds: Int?, blocking: Bool) -> TerminalEvent? {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        let deadline = timeoutMilliseconds.map(EventQueue.deadline(afterMilliseconds:))
        while events.isEmpty && !woken {
            guard blocking else { return nil }
            if var deadline {
                if pthread_cond_timedwait(&condition, &mutex, &deadline) == ETIMEDOUT { break }
            } else {
                pthread_cond_wait(&condition, &mutex)
            }
        }
        if woken {
            woken = false
            return nil
        }
        return events.isEmpty ? nil : events.removeFirst()
    }

    private static func deadline(afterMilliseconds milliseconds: Int) -> timespec {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let nanoseconds = Int(now.tv_nsec) + (max(0, milliseconds) % 1000) * 1_000_000
        now.tv_sec += max(0, milliseconds) / 1000 + nanoseconds / 1_000_000_000
        now.tv_nsec = nanoseconds % 1_000_000_000
        return now
    }
}
