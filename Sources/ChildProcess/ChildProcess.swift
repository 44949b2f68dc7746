import Foundation
import Glibc

/// A running child of kgate (or of its tests), started by `Spawn` with a clean signal mask,
/// default dispositions and none of kgate's descriptors. Waiting is synchronous
/// (`wait(timeout:)`) or asynchronous (`termination(within:)`); `stop` ends it (and its
/// process group, when it leads one) with SIGTERM, then SIGKILL.
///
/// A thread of its own waits for the child, so nothing polls. Every child is also kept in
/// a list until it ends, so that `stopAll()` can end what is left when kgate leaves.
///
/// Foundation's `Process` was not enough (no signal mask, process group or descriptor
/// control), and apple/swift-subprocess would have been one more dependency for the same
/// dozen `posix_spawn` calls: this is the thin helper the house needs.
public final class ChildProcess: @unchecked Sendable {
    // @unchecked: every mutable field is behind `condition`.
    public let pid: pid_t
    /// Whether the child leads a process group (`ChildCommand.newProcessGroup`).
    public let leadsProcessGroup: Bool
    public let command: String

    private let condition = NSCondition()
    private var ended: Termination?
    private var waiters: [UUID: CheckedContinuation<Termination?, Never>] = [:]
    private var captured: [Int32: [UInt8]] = [:]
    private var openCaptures = 0

    private init(pid: pid_t, leadsProcessGroup: Bool, command: String) {
        self.pid = pid
        self.leadsProcessGroup = leadsProcessGroup
        self.command = command
    }

    /// Starts `command`; throws when it cannot run (not found, not executable).
    public static func start(_ command: ChildCommand) throws(ChildProcessError) -> ChildProcess {
        let (pid, pipes) = try Spawn.start(command)
        let child = ChildProcess(pid: pid, leadsProcessGroup: command.newProcessGroup, command: command.executable)
        LiveChildren.shared.add(child)
        ExitCleanup.add(pid: pid, group: command.newProcessGroup)
        if case .bytes(let bytes) = command.standardInput, let input = pipes.input {
            Thread.detachNewThread { writeAll(bytes, to: input) }
        }
        for (descriptor, pipe) in [(Int32(1), pipes.output), (2, pipes.error)] {
            guard let pipe else { continue }
            child.condition.withLock { child.openCaptures += 1 }
            Thread.detachNewThread { child.capture(pipe, as: descriptor) }
        }
        Thread.detachNewThread { child.reap() }
        return child
    }

    public var isRunning: Bool { condition.withLock { ended == nil } }

    /// How it ended, waiting at most `timeout` seconds (nil: as long as it takes); nil
    /// when it is still running then.
    @discardableResult
    public func wait(timeout: Double? = nil) -> Termination? {
        let deadline = timeout.map { Date().addingTimeInterval($0) }
        return condition.withLock {
            while ended == nil {
                if let deadline {
                    guard condition.wait(until: deadline) else { break }
                } else {
                    condition.wait()
                }
            }
            return ended
        }
    }

    /// How it ended, without blocking a thread; nil when `timeout` passes first.
    public func termination(within timeout: Duration? = nil) async -> Termination? {
        let id = UUID()
        return await withCheckedContinuation { (continuation: CheckedContinuation<Termination?, Never>) in
            let done: Termination? = condition.withLock {
                if ended == nil { waiters[id] = continuation }
                return ended
            }
            if let done { return continuation.resume(returning: done) }
            guard let timeout else { return }
            let nanoseconds = timeout.components.seconds * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000
            DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(Int(nanoseconds))) { [self] in
                let waiter = condition.withLock { waiters.removeValue(forKey: id) }
                waiter?.resume(returning: nil)
            }
        }
    }

    /// What the child wrote on its captured streams, once both reached end of file.
    public func output() -> (standardOutput: [UInt8], standardError: [UInt8]) {
        condition.withLock {
            while openCaptures > 0 { condition.wait() }
            return (captured[1] ?? [], captured[2] ?? [])
        }
    }

    /// Sends `signal` to the child's process group when it leads one (unless `toGroup` is
    /// false), else to the child alone. After the child ended, a group is still signalled
    /// (what it started may live on).
    public func signal(_ signal: Int32, toGroup: Bool = true) {
        condition.withLock {
            if leadsProcessGroup && toGroup {
                _ = killpg(pid, signal)
            } else if ended == nil {
                // Still unreaped here (see `reap`), so the pid cannot be another process's.
                _ = kill(pid, signal)
            }
        }
    }

    /// SIGTERM, then SIGKILL when it is still running after `grace` seconds; waits for it.
    /// A group's stragglers get the SIGKILL too.
    @discardableResult
    public func stop(grace: Double = 5) -> Termination? {
        if isRunning {
            signal(SIGTERM)
            if wait(timeout: grace) == nil { signal(SIGKILL) }
        }
        if leadsProcessGroup { signal(SIGKILL) }
        return wait(timeout: grace)
    }

    /// Ends every child still running (group and all) at once: kgate calls it as it
    /// leaves, so that no plugin outlives it.
    public static func stopAll() {
        for child in LiveChildren.shared.all() { child.signal(SIGKILL) }
    }

    /// Waits without reaping first (`WNOWAIT`), records the end under the lock, then reaps:
    /// so `signal` never reaches a pid the system gave to someone else.
    private func reap() {
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) < 0, errno == EINTR {}
        var status: Int32 = 0
        let result: Termination = condition.withLock {
            while waitpid(pid, &status, 0) < 0, errno == EINTR {}
            // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import.
            let termination: Termination =
                status & 0x7F == 0 ? .exited((status >> 8) & 0xFF) : .signalled(status & 0x7F)
            ended = termination
            condition.broadcast()
            return termination
        }
        LiveChildren.shared.remove(self)
        ExitCleanup.remove(pid: pid, group: leadsProcessGroup)
        let resumed = condition.withLock {
            defer { waiters.removeAll() }
            return Array(waiters.values)
        }
        resumed.forEach { $0.resume(returning: result) }
    }

    private func capture(_ descriptor: Int32, as stream: Int32) {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = read(descriptor, &buffer, buffer.count)
            if count < 0, errno == EINTR { continue }
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        close(descriptor)
        condition.withLock {
            captured[stream] = bytes
            openCaptures -= 1
            condition.broadcast()
        }
    }
}

private func writeAll(_ bytes: [UInt8], to descriptor: Int32) {
    // A child that stops reading gives EPIPE, which must not kill kgate.
    signal(SIGPIPE, SIG_IGN)
    var offset = 0
    while offset < bytes.count {
        let written = bytes[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        if written < 0, errno == EINTR { continue }
        if written <= 0 { break }
        offset += written
    }
    close(descriptor)
}

/// The children not yet ended, for `ChildProcess.stopAll`.
private final class LiveChildren: @unchecked Sendable {
    static let shared = LiveChildren()
    private let lock = NSLock()
    private var children: [ObjectIdentifier: ChildProcess] = [:]

    func add(_ child: ChildProcess) { lock.withLock { children[ObjectIdentifier(child)] = child } }
    func remove(_ child: ChildProcess) { lock.withLock { _ = children.removeValue(forKey: ObjectIdentifier(child)) } }
    func all() -> [ChildProcess] { lock.withLock { Array(children.values) } }
}
