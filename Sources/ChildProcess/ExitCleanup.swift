import Glibc
import Synchronization

/// Ends the children kgate leaves behind when a signal ends kgate itself: a credential
/// plugin leads a process group of its own, so the Ctrl-C or `kill` meant for kgate
/// would not reach it. Installed once by the command line; the console's own handlers
/// take over while it runs (and kgate's exit path calls `ChildProcess.stopAll`).
///
/// A signal handler may only do async-signal-safe work: it reads a fixed table of the
/// running children's ids (no lock, no allocation), kills them, and dies of the signal.
enum ExitCleanup {
    /// One slot per running child: a process group as its negative id, a lone child as its
    /// pid; 0 is free. 64 children at once is far beyond what kgate starts.
    private static let slotCount = 64
    nonisolated(unsafe) private static let slots: UnsafeMutablePointer<Atomic<Int32>> = {
        let slots = UnsafeMutablePointer<Atomic<Int32>>.allocate(capacity: slotCount)
        for index in 0..<slotCount { (slots + index).initialize(to: Atomic(0)) }
        return slots
    }()

    static func add(pid: pid_t, group: Bool) {
        let id = group ? -pid : pid
        for index in 0..<slotCount where slots[index].compareExchange(expected: 0, desired: id, ordering: .relaxed).exchanged {
            return
        }
    }

    static func remove(pid: pid_t, group: Bool) {
        let id = group ? -pid : pid
        for index in 0..<slotCount where slots[index].compareExchange(expected: id, desired: 0, ordering: .relaxed).exchanged {
            return
        }
    }

    static func install(_ signals: [Int32]) {
        _ = slots  // made before any handler can run
        for signal in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { received in
                for index in 0..<ExitCleanup.slotCount {
                    let id = ExitCleanup.slots[index].load(ordering: .relaxed)
                    if id != 0 { _ = kill(id, SIGKILL) }
                }
                // Die of the signal, as kgate would have without this handler.
                Glibc.signal(received, SIG_DFL)
                raise(received)
            }
            sigemptyset(&action.sa_mask)
            sigaction(signal, &action, nil)
        }
    }
}

extension ChildProcess {
    /// Makes SIGINT, SIGTERM and SIGHUP end kgate's children before kgate: call it once,
    /// early, from the command line's `main`.
    public static func stopChildrenOnTerminationSignals() {
        ExitCleanup.install([SIGINT, SIGTERM, SIGHUP])
    }
}
