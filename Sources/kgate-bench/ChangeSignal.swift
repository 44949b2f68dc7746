import Foundation

/// Turns a change stream into something a plain thread can wait on.
final class ChangeSignal: @unchecked Sendable {
    private let condition = NSCondition()
    private var fired = false
    private var task: Task<Void, Never>?

    init(_ stream: AsyncStream<Void>) {
        task = Task { [weak self] in
            for await _ in stream { self?.fire() }
        }
    }

    deinit { task?.cancel() }

    /// Stops listening (the stream's store may outlive this signal).
    func stop() { task?.cancel() }

    private func fire() {
        condition.lock()
        fired = true
        condition.signal()
        condition.unlock()
    }

    func wait(seconds: Double) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date().addingTimeInterval(seconds)
        while !fired { if !condition.wait(until: deadline) { return fired } }
        return true
    }

    /// Forgets what fired so far (the write's echo may come in several events).
    func reset() {
        condition.lock()
        fired = false
        condition.unlock()
    }
}
