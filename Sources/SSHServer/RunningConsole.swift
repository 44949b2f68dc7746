import ChildProcess
import Foundation
import Glibc
import NIOConcurrencyHelpers
import NIOCore
import NIOSSH
import Terminal

/// A console child on its pseudo-terminal, and the thread that relays what it draws to the
/// SSH channel. When the child ends, its exit status is sent and the channel closes.
final class RunningConsole: @unchecked Sendable {
    // @unchecked: `terminal` is only written through its descriptor (the kernel orders
    // those writes); `child` and `terminal` are immutable references.
    private let terminal: PseudoTerminal
    private let child: ChildProcess
    private let idleTimeout: TimeInterval
    private let lastInput = NIOLockedValueBox(Date())

    private init(terminal: PseudoTerminal, child: ChildProcess, idleTimeout: TimeInterval) {
        self.terminal = terminal
        self.child = child
        self.idleTimeout = idleTimeout
    }

    static func start(
        executable: String, arguments: [String], environment: [String: String], columns: Int, rows: Int,
        idleTimeout: TimeInterval, channel: Channel, ended: @escaping @Sendable () -> Void
    ) throws -> RunningConsole {
        guard let terminal = PseudoTerminal(columns: max(columns, 1), rows: max(rows, 1)) else {
            throw SSHServerError("no pseudo-terminal is free")
        }
        var command = ChildCommand(executable, arguments, environment: environment)
        command.terminal = terminal.slavePath
        command.newProcessGroup = true
        let child = try ChildProcess.start(command)
        let console = RunningConsole(terminal: terminal, child: child, idleTimeout: idleTimeout)
        Thread.detachNewThread { console.relay(to: channel, ended: ended) }
        return console
    }

    /// Keys from the client, as typed at the console's keyboard.
    func type(_ bytes: [UInt8]) {
        lastInput.withLockedValue { $0 = Date() }
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(terminal.master, $0.baseAddress, $0.count) }
            if written > 0 {
                offset += written
            } else if written < 0, errno == EAGAIN || errno == EINTR {
                // The console is behind on reading its keys; wait until it takes more.
                var descriptor = pollfd(fd: terminal.master, events: Int16(POLLOUT), revents: 0)
                _ = poll(&descriptor, 1, 100)
            } else {
                return
            }
        }
    }

    /// The kernel sends the console SIGWINCH (the terminal is its controlling one).
    func resize(columns: Int, rows: Int) {
        terminal.resize(columns: max(columns, 1), rows: max(rows, 1))
    }

    /// SIGTERM to the console's group, SIGKILL after half a second; off the event loop.
    func stop() {
        let child = child
        Thread.detachNewThread { child.stop(grace: 0.5) }
    }

    private func relay(to channel: Channel, ended: @Sendable () -> Void) {
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            var descriptor = pollfd(fd: terminal.master, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, 50)
            let count = ready > 0 ? read(terminal.master, &buffer, buffer.count) : 0
            if count > 0 {
                let bytes = channel.allocator.buffer(bytes: buffer[0..<count])
                channel.writeAndFlush(SSHChannelData(type: .channel, data: .byteBuffer(bytes)), promise: nil)
            } else if !child.isRunning || (count < 0 && errno != EAGAIN && errno != EINTR) {
                break
            } else if Date().timeIntervalSince(lastInput.withLockedValue { $0 }) >= idleTimeout {
                // Idle too long: the console is ended like at a disconnect.
                child.stop(grace: 0.5)
            }
        }
        let status: Int
        switch child.stop(grace: 0.5) {
        case .exited(let code): status = Int(code)
        case .signalled(let signal): status = 128 + Int(signal)
        case nil: status = 255
        }
        ended()
        channel.triggerUserOutboundEvent(SSHChannelRequestEvent.ExitStatus(exitStatus: status)).whenComplete { _ in
            channel.close(promise: nil)
        }
    }
}
