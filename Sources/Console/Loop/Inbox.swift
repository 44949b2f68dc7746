import Foundation

/// Messages from effect tasks and the store's change stream, waiting for the loop thread.
/// Posting wakes the terminal so a blocked `nextEvent` returns and the loop drains them.
final class Inbox: @unchecked Sendable {
    // The lock guards `messages`; it is never held while calling out.
    private let lock = NSLock()
    private var messages: [Message] = []
    private let wake: @Sendable () -> Void

    init(wake: @escaping @Sendable () -> Void) { self.wake = wake }

    func post(_ message: Message) {
        lock.withLock { messages.append(message) }
        wake()
    }

    func drain() -> [Message] {
        lock.withLock {
            let drained = messages
            messages = []
            return drained
        }
    }
}
