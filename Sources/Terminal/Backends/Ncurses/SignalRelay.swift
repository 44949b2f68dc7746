import Glibc
import CNcursesw
import Synchronization

/// Turns SIGTERM, SIGHUP and SIGINT into a flag and a wake-up, and makes sure the terminal
/// is restored however the process ends.
///
/// A handler may do almost nothing safely, so it only stores the signal number and writes
/// one byte to the backend's wake pipe; the app's loop sees `terminationSignal`, leaves,
/// and restores the terminal on its own thread. SIGWINCH stays ncurses' (it turns into
/// `KEY_RESIZE`): the relay calls ncurses' handler, then wakes the `poll()`, which may be
/// running on another thread than the one the kernel picked for the signal.
enum SignalRelay {
    static let terminating: [Int32] = [SIGTERM, SIGHUP, SIGINT]

    /// The first termination signal received since `install`, 0 when none.
    static var receivedSignal: Int32 { relayedSignal.load(ordering: .relaxed) }
    /// How many SIGWINCH have arrived; the backend compares it with what it last saw.
    static var resizeCount: Int { relayedResizes.load(ordering: .relaxed) }

    /// Installs the handlers, waking `pipe` on every signal: SIGWINCH always (a resize must
    /// end the wait), the termination signals when asked. Returns what to pass to
    /// `uninstall` to put the previous handlers back.
    static func install(waking pipe: WakePipe, termination: Bool) -> [Int32: sigaction] {
        relayedSignal.store(0, ordering: .relaxed)
        relayWakeFD.store(pipe.writeEnd, ordering: .relaxed)
        var previous: [Int32: sigaction] = [:]
        for signal in (termination ? terminating : []) + [SIGWINCH] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = relayHandler
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            var old = sigaction()
            // Chain only to a real function (not SIG_DFL/SIG_IGN), called as a plain handler.
            if signal == SIGWINCH, sigaction(SIGWINCH, nil, &old) == 0 {
                let handler = old.__sigaction_handler.sa_handler
                let isFunction = handler.map { unsafeBitCast($0, to: Int.self) > 1 } ?? false
                previousResizeHandler = isFunction && old.sa_flags & SA_SIGINFO == 0 ? handler : nil
            }
            if sigaction(signal, &action, &old) == 0 { previous[signal] = old }
        }
        return previous
    }

    static func uninstall(_ previous: [Int32: sigaction]) {
        for (signal, action) in previous {
            var action = action
            sigaction(signal, &action, nil)
        }
        relayWakeFD.store(-1, ordering: .relaxed)
    }

    /// Registers (once) an `atexit` handler that ends curses if the app forgot to: a
    /// `fatalError` or an `exit()` deep in a library still leaves a usable shell.
    static func registerExitSafetyNet() {
        _ = exitSafetyNet
    }

    static func setCursesActive(_ active: Bool) {
        cursesActive.store(active, ordering: .relaxed)
    }
}

private let relayedSignal = Atomic<Int32>(0)
private let relayedResizes = Atomic<Int>(0)
private let relayWakeFD = Atomic<Int32>(-1)
private let cursesActive = Atomic<Bool>(false)

// Written only in `install`, before the handler that reads it is in place.
nonisolated(unsafe) private var previousResizeHandler: (@convention(c) (Int32) -> Void)?

private let exitSafetyNet: Bool = {
    atexit {
        if cursesActive.load(ordering: .relaxed) { endwin() }
    }
    return true
}()

private func relayHandler(_ signal: Int32) {
    let savedErrno = errno
    if signal == SIGWINCH {
        previousResizeHandler?(signal)
        relayedResizes.add(1, ordering: .relaxed)
    } else {
        _ = relayedSignal.compareExchange(expected: 0, desired: signal, ordering: .relaxed)
    }
    let fd = relayWakeFD.load(ordering: .relaxed)
    if fd >= 0 { WakePipe.signal(writeEnd: fd) }
    errno = savedErrno
}
