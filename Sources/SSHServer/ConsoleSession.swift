import ChildProcess
import Foundation
import Glibc
import NIOCore
import NIOSSH
import Terminal

/// One SSH session channel: a PTY request and a shell request start a `kgate console` child
/// on a pseudo-terminal of its own; bytes and window changes are relayed. Everything else a
/// client may ask (exec, subsystem, a shell without a PTY) is refused with a line saying why.
final class ConsoleSession: ChannelInboundHandler {
    typealias InboundIn = SSHChannelData
    typealias OutboundOut = SSHChannelData

    private let endpoint: SSHEndpoint
    private let access: KeyAccess
    private var terminalRequest: SSHChannelRequestEvent.PseudoTerminalRequest?
    private var clientEnvironment: [String: String] = [:]
    private var running: RunningConsole?

    init(endpoint: SSHEndpoint, access: KeyAccess) {
        self.endpoint = endpoint
        self.access = access
    }

    func channelInactive(context: ChannelHandlerContext) {
        // A disconnect ends the console at once: SIGTERM, SIGKILL half a second later.
        running?.stop()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let message = unwrapInboundIn(data)
        guard case .byteBuffer(let buffer) = message.data, message.type == .channel else { return }
        running?.type(Array(buffer.readableBytesView))
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case let request as SSHChannelRequestEvent.PseudoTerminalRequest:
            terminalRequest = request
            reply(context, request.wantReply, success: true)
        case let request as SSHChannelRequestEvent.EnvironmentRequest:
            // Only the locale: it decides whether the console draws Unicode.
            let accepted = request.name == "LANG" || request.name.hasPrefix("LC_")
            if accepted { clientEnvironment[request.name] = request.value }
            reply(context, request.wantReply, success: accepted)
        case let request as SSHChannelRequestEvent.WindowChangeRequest:
            running?.resize(columns: request.terminalCharacterWidth, rows: request.terminalRowHeight)
        case let request as SSHChannelRequestEvent.ShellRequest:
            startConsole(context, wantReply: request.wantReply)
        case let request as SSHChannelRequestEvent.ExecRequest:
            refuse(context, request.wantReply, "kgate: commands are refused here (exec); this server gives only the console: ssh -t")
        case let request as SSHChannelRequestEvent.SubsystemRequest:
            refuse(context, request.wantReply, "kgate: subsystem \(request.subsystem) is refused; this server gives only the console")
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    private func startConsole(_ context: ChannelHandlerContext, wantReply: Bool) {
        guard running == nil else { return reply(context, wantReply, success: false) }
        guard let terminalRequest else {
            return refuse(
                context, wantReply,
                "kgate: the console needs a terminal and this session has none; connect with ssh -t (a PTY)")
        }
        guard endpoint.openSession() else {
            return refuse(
                context, wantReply,
                "kgate: \(endpoint.configuration.maximumSessions) sessions are open, the most this server allows; try again later")
        }
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("LC_") && $0.key != "LANG" }
        environment.merge(clientEnvironment) { _, client in client }
        environment["TERM"] = TerminalType.resolve(terminalRequest.term, environment: environment)
        // Who the audit log names for this session's writes.
        environment["KGATE_AUDIT_WHO"] = "\(access.fingerprint) \(access.comment)".trimmingCharacters(in: .whitespaces)
        let arguments = endpoint.configuration.consoleArguments + access.consoleArguments
        do {
            running = try RunningConsole.start(
                executable: endpoint.configuration.consoleExecutable, arguments: arguments, environment: environment,
                columns: terminalRequest.terminalCharacterWidth, rows: terminalRequest.terminalRowHeight,
                idleTimeout: endpoint.configuration.idleTimeout,
                channel: context.channel, ended: { [endpoint] in endpoint.closeSession() })
            reply(context, wantReply, success: true)
        } catch {
            endpoint.closeSession()
            refuse(context, wantReply, "kgate: the console cannot start: \(error)")
        }
    }

    private func reply(_ context: ChannelHandlerContext, _ wantReply: Bool, success: Bool) {
        guard wantReply else { return }
        if success {
            context.triggerUserOutboundEvent(ChannelSuccessEvent(), promise: nil)
        } else {
            context.triggerUserOutboundEvent(ChannelFailureEvent(), promise: nil)
        }
    }

    /// The reason on the client's stderr, exit status 1, and the channel closes.
    private func refuse(_ context: ChannelHandlerContext, _ wantReply: Bool, _ message: String) {
        // Accepted, so that the client shows the reason rather than a bare failure.
        reply(context, wantReply, success: true)
        let buffer = context.channel.allocator.buffer(string: message + "\r\n")
        context.write(wrapOutboundOut(SSHChannelData(type: .stdErr, data: .byteBuffer(buffer))), promise: nil)
        context.flush()
        let channel = context.channel
        channel.triggerUserOutboundEvent(SSHChannelRequestEvent.ExitStatus(exitStatus: 1)).whenComplete { _ in
            channel.close(promise: nil)
        }
    }
}

extension KeyAccess {
    /// What the console child is told: a viewer's console refuses writes; a key limited to
    /// projects sees only those.
    var consoleArguments: [String] {
        (role == .viewer ? ["--read-only"] : []) + (projects.map { ["--only-projects", $0.joined(separator: ",")] } ?? [])
    }
}
