import Foundation
import GatewayKit
import Terminal

/// The console's entry point for the executable.
///
///     let status = await ConsoleApp.run(store: store, terminal: ncurses, options: options)
///     ncurses.restore()   // then print any error, after the screen is restored
///     exit(status)
public enum ConsoleApp {
    /// Runs the console until `q`, `:q`, Ctrl-C or a termination signal. Returns the exit
    /// status: 0 when the operator left, 1 when the terminal reported termination.
    ///
    /// Every terminal call happens on one dedicated thread (curses is not thread-safe);
    /// store calls run as tasks whose results come back through an inbox and `wake()`.
    /// `notices` are standing lines for the status row (a credential plugin the store waits
    /// for, say); nil clears the line. `activity` feeds the gateway detail's Pods, Logs and
    /// Monitoring sections; without one they say there is no source. `history` gives the
    /// last change of the gateway and the selected route (from the audit log).
    public static func run(
        store: any ObjectStore, terminal: any ConsoleTerminal, options: ConsoleOptions,
        notices: AsyncStream<String?> = AsyncStream { $0.finish() },
        activity: (any GatewayActivitySource)? = nil, history: (any ChangeHistory)? = nil
    ) async -> Int32 {
        let handle = TerminalHandle(terminal)
        return await withCheckedContinuation { continuation in
            let thread = Thread {
                let loop = ConsoleLoop(
                    store: store, terminal: handle, options: options, notices: notices, activity: activity, history: history)
                continuation.resume(returning: loop.run())
            }
            thread.name = "kgate console"
            thread.start()
        }
    }
}

/// Carries the terminal to the loop thread. Only `wake()` is called from elsewhere, which
/// `ConsoleTerminal` requires to be thread-safe.
struct TerminalHandle: @unchecked Sendable {
    let terminal: any ConsoleTerminal
    init(_ terminal: any ConsoleTerminal) { self.terminal = terminal }
}

/// The loop itself: read input or wait for a wake, update, perform effects, present.
final class ConsoleLoop {
    /// A resize is drawn once the terminal stops changing size for this long.
    static let resizeSettleMilliseconds = 40
    /// How long the loop waits for input when idle: forever. Store results, store changes
    /// and termination signals all wake it through the terminal's wake pipe, so an idle
    /// console uses no CPU at all.
    static let idleMilliseconds: Int? = nil
    /// Keys read ahead before a frame is drawn (a paste, a held key).
    static let batchLimit = 64

    private let store: any ObjectStore
    private let terminal: any ConsoleTerminal
    private let inbox: Inbox
    private let notices: AsyncStream<String?>
    private var state: ConsoleState
    private let activity: ActivityRunner

    init(
        store: any ObjectStore, terminal handle: TerminalHandle, options: ConsoleOptions,
        notices: AsyncStream<String?> = AsyncStream { $0.finish() },
        activity: (any GatewayActivitySource)? = nil, history: (any ChangeHistory)? = nil
    ) {
        self.store = store
        self.notices = notices
        self.terminal = handle.terminal
        let inbox = Inbox(wake: { handle.terminal.wake() })
        self.inbox = inbox
        self.activity = ActivityRunner(activity: activity, history: history, inbox: inbox)
        var options = options
        options.readOnly = options.readOnly || store.isReadOnly
        let home = ProcessInfo.processInfo.environment["HOME"]
        self.state = ConsoleState(options: options, location: HomeFolder.abbreviated(store.location, home: home))
        state.hasActivitySource = activity != nil
        state.hasChangeHistory = history != nil
    }

    func run() -> Int32 {
        let inbox = self.inbox
        let store = self.store
        let changes = Task {
            for await _ in store.changes() { inbox.post(.storeChanged) }
        }
        defer { changes.cancel() }
        let notices = self.notices
        let noticeRelay = Task {
            for await notice in notices { inbox.post(.notice(notice)) }
        }
        defer { noticeRelay.cancel() }
        let activity = self.activity
        defer { activity.stopAll() }

        if let status = apply([.resize(terminal.size)], effects: state.start()) { return status }
        present()
        while true {
            if terminal.shouldTerminate { return 1 }
            var messages = inbox.drain()
            if messages.isEmpty {
                guard let event = terminal.nextEvent(timeoutMilliseconds: ConsoleLoop.idleMilliseconds) else { continue }
                messages = readAhead(after: event) + inbox.drain()
            }
            if let status = apply(messages, effects: []) { return status }
            present()
        }
    }

    /// The event and those right behind it: a burst of keys becomes one frame, and a run of
    /// resizes (a window being dragged) is drawn once, when it settles.
    private func readAhead(after first: TerminalEvent) -> [Message] {
        var messages = [message(first)]
        var resizing = isResize(first)
        while messages.count < ConsoleLoop.batchLimit,
            let next = terminal.nextEvent(timeoutMilliseconds: resizing ? ConsoleLoop.resizeSettleMilliseconds : 0)
        {
            if isResize(next), let last = messages.last, case .resize = last {
                messages[messages.count - 1] = message(next)
            } else {
                messages.append(message(next))
            }
            resizing = isResize(next)
        }
        return messages
    }

    private func isResize(_ event: TerminalEvent) -> Bool {
        if case .resize = event { return true }
        return false
    }

    private func message(_ event: TerminalEvent) -> Message {
        switch event {
        case .key(let key): .key(key)
        case .resize(let size): .resize(size)
        }
    }

    /// Updates with each message and starts the effects; the exit status once one is `quit`.
    private func apply(_ messages: [Message], effects initial: [Effect]) -> Int32? {
        var effects = initial
        for message in messages {
            // What a since-cancelled subscription still posted belongs to a section left.
            if case .activity(let posted) = message, !activity.isCurrent(posted) { continue }
            effects += update(&state, message)
        }
        for effect in effects {
            if case .quit(let status) = effect { return status }
            perform(effect)
        }
        activity.reconcile(state.activitySubscriptions)
        return nil
    }

    private func perform(_ effect: Effect) {
        let store = self.store
        let inbox = self.inbox
        Task {
            if let message = await EffectRunner.run(effect, store: store) { inbox.post(message) }
        }
    }

    private func present() {
        terminal.present(view(state, size: state.size))
    }
}
