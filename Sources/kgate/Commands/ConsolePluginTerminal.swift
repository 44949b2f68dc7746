import Console
import Dispatch
import GatewayStore
import Synchronization
import Terminal

/// The console's terminal, lent to an interactive credential plugin: the plugin's task
/// asks, the console's loop (the only thread that may call curses) leaves the screen,
/// waits while the plugin reads the terminal, then takes the screen back and redraws.
final class LendingConsoleTerminal: ConsoleTerminal, @unchecked Sendable {
    private let terminal: NcursesTerminal
    /// Plugins waiting for the console to leave the screen.
    private let waiting = Mutex<(requests: [CheckedContinuation<Void, Never>], closed: Bool)>(([], false))
    private let given = DispatchSemaphore(value: 0)

    init(_ terminal: NcursesTerminal) { self.terminal = terminal }

    var size: Size { terminal.size }
    var shouldTerminate: Bool { terminal.shouldTerminate }
    func present(_ screen: Screen) { terminal.present(screen) }
    func wake() { terminal.wake() }

    func nextEvent(timeoutMilliseconds: Int?) -> TerminalEvent? {
        let request = waiting.withLock { state in state.requests.isEmpty ? nil : state.requests.removeFirst() }
        guard let request else { return terminal.nextEvent(timeoutMilliseconds: timeoutMilliseconds) }
        terminal.suspend()
        request.resume()
        given.wait()
        terminal.resume()
        // The loop draws the whole screen again, at whatever size the terminal has now.
        return .resize(terminal.size)
    }

    /// From the plugin's task: returns once the console has left the screen (at once when
    /// the console is gone).
    func lend() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let queued = waiting.withLock { state in
                guard !state.closed else { return false }
                state.requests.append(continuation)
                return true
            }
            if queued { terminal.wake() } else { continuation.resume() }
        }
    }

    /// From the plugin's task, after `lend()`: the console takes the screen back.
    func giveBack() { given.signal() }

    /// The loop has ended: plugins still waiting go on without it.
    func close() {
        let pending = waiting.withLock { state in
            state.closed = true
            defer { state.requests = [] }
            return state.requests
        }
        for request in pending { request.resume() }
    }
}

/// The `PluginTerminal` of `kgate console`: before the console is up (the first load) and
/// after it, the plain terminal; while it runs, the console suspended around the plugin.
final class ConsolePluginTerminal: Sendable {
    private let console = Mutex<LendingConsoleTerminal?>(nil)
    /// The console a plugin borrowed from, to give back to the same one.
    private let lent = Mutex<LendingConsoleTerminal?>(nil)

    var pluginTerminal: PluginTerminal {
        PluginTerminal(
            suspend: { [self] in
                guard let current = console.withLock({ $0 }) else { return }
                lent.withLock { $0 = current }
                await current.lend()
            },
            resume: { [self] in
                lent.withLock { lent in
                    lent?.giveBack()
                    lent = nil
                }
            })
    }

    func attach(_ terminal: LendingConsoleTerminal) { console.withLock { $0 = terminal } }

    func detach() {
        let terminal = console.withLock { current in
            defer { current = nil }
            return current
        }
        terminal?.close()
    }
}
