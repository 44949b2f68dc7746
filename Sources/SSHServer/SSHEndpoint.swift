import Foundation
import Glibc
import NIOCore
import NIOPosix
import NIOSSH

/// `kgate ssh-server`: accepts SSH connections on one address, authenticates public keys
/// against the authorized keys file (re-read when it changes), and gives each PTY session a
/// console child. State shared by connections is behind `lock`.
public final class SSHEndpoint: @unchecked Sendable {
    public let configuration: ServerConfiguration
    private let log: @Sendable (String) -> Void
    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    private let lock = NSLock()
    private var authorized = AuthorizedKeys()
    private var keysFileStamp: [Int] = []
    private var failures = FailedAttempts()
    private var openSessions = 0
    /// Authenticated connections and their key, so that a removed key's sessions end.
    private var connections: [ObjectIdentifier: (channel: Channel, key: NIOSSHPublicKey, access: KeyAccess)] = [:]
    private var serverChannel: Channel?
    private var keysCheck: RepeatedTask?

    public init(configuration: ServerConfiguration, log: @escaping @Sendable (String) -> Void) throws(SSHServerError) {
        self.configuration = configuration
        self.log = log
        try reloadKeys(initial: true)
    }

    /// Binds and starts accepting; returns the bound port (useful when asked for port 0).
    public func start() throws -> Int {
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.socket(SocketOptionLevel(SOL_SOCKET), SO_REUSEADDR), value: 1)
            .childChannelInitializer { [self] channel in
                let address = channel.remoteAddress?.ipAddress ?? "unknown"
                let authentication = KeyAuthentication(endpoint: self, address: address, connection: channel)
                return channel.eventLoop.makeCompletedFuture {
                    let handler = NIOSSHHandler(
                        role: .server(.init(hostKeys: [configuration.hostKey.privateKey], userAuthDelegate: authentication)),
                        allocator: channel.allocator,
                        inboundChildChannelInitializer: { child, type in
                            // Only sessions: port forwarding channels are refused.
                            guard case .session = type, let access = authentication.access else {
                                return child.eventLoop.makeFailedFuture(SSHServerError("only session channels are served"))
                            }
                            return child.eventLoop.makeCompletedFuture {
                                try child.pipeline.syncOperations.addHandler(ConsoleSession(endpoint: self, access: access))
                            }
                        })
                    try channel.pipeline.syncOperations.addHandlers([handler, ConnectionErrors()])
                    channel.closeFuture.whenComplete { _ in self.forget(channel) }
                }
            }
        let channel = try bootstrap.bind(host: configuration.host, port: configuration.port).wait()
        serverChannel = channel
        let interval = Int64(configuration.keysCheckInterval * 1000)
        keysCheck = group.next().scheduleRepeatedTask(initialDelay: .milliseconds(interval), delay: .milliseconds(interval)) {
            [self] _ in
            do throws(SSHServerError) {
                try reloadKeys(initial: false)
            } catch {
                log("kgate ssh-server: \(error.description); the keys read before stay in force")
            }
        }
        return channel.localAddress?.port ?? configuration.port
    }

    /// Blocks until the server is closed.
    public func wait() throws { try serverChannel?.closeFuture.wait() }

    public func shutdown() {
        keysCheck?.cancel()
        try? serverChannel?.close().wait()
        let open = lock.withLock { connections.values.map(\.channel) }
        open.forEach { $0.close(promise: nil) }
        try? group.syncShutdownGracefully()
    }

    // MARK: Sessions

    func openSession() -> Bool {
        lock.withLock {
            guard openSessions < configuration.maximumSessions else { return false }
            openSessions += 1
            return true
        }
    }

    func closeSession() { lock.withLock { openSessions -= 1 } }

    // MARK: Keys

    /// What `key` may do, or nil (and the failure counted) when it is not authorized.
    func authenticate(_ key: NIOSSHPublicKey?, from address: String, connection: Channel) -> KeyAccess? {
        lock.withLock {
            let now = Date()
            guard !failures.isBlocked(address, at: now) else { return nil }
            guard let key, let access = authorized.access(for: key) else {
                failures.record(address, at: now)
                return nil
            }
            connections[ObjectIdentifier(connection)] = (connection, key, access)
            return access
        }
    }

    func isBlocked(_ address: String) -> Bool { lock.withLock { failures.isBlocked(address, at: Date()) } }

    private func forget(_ channel: Channel) {
        lock.withLock { _ = connections.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    /// Re-reads the file when its inode, size or time changed; a connection whose key was
    /// removed (or given other rights) is closed. A file that does not parse throws (at start
    /// the server does not start; later the keys read before stay in force).
    private func reloadKeys(initial: Bool) throws(SSHServerError) {
        let path = configuration.authorizedKeysPath
        var info = stat()
        guard stat(path, &info) == 0 else {
            // Reported once when it goes missing, not at every check.
            let reported = lock.withLock { () -> Bool in
                defer { keysFileStamp = [-1] }
                return keysFileStamp == [-1]
            }
            if reported { return }
            throw SSHServerError("authorized keys \(path): cannot be read: \(String(cString: strerror(errno)))")
        }
        let stamp = [Int(info.st_ino), Int(info.st_size), info.st_mtim.tv_sec, info.st_mtim.tv_nsec]
        guard lock.withLock({ stamp != keysFileStamp }) else { return }
        // Stamped before parsing, so that a broken file is reported once, not 4 times a second.
        lock.withLock { keysFileStamp = stamp }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw SSHServerError("authorized keys \(path): cannot be read as UTF-8 text")
        }
        let parsed = try AuthorizedKeys(parsing: text, file: path)
        let revoked: [Channel] = lock.withLock {
            authorized = parsed
            return connections.values.filter { parsed.access(for: $0.key) != $0.access }.map(\.channel)
        }
        if !initial { log("kgate ssh-server: \(path): \(parsed.keys.count) keys; \(revoked.count) sessions ended") }
        revoked.forEach { $0.close(promise: nil) }
    }
}

/// Public keys only; passwords and keyboard-interactive are never offered. A source address
/// over the failure limit is refused whatever it offers.
final class KeyAuthentication: NIOSSHServerUserAuthenticationDelegate, @unchecked Sendable {
    // @unchecked: `access` is written and read on the connection's event loop only.
    private let endpoint: SSHEndpoint
    private let address: String
    private let connection: Channel
    private(set) var access: KeyAccess?

    init(endpoint: SSHEndpoint, address: String, connection: Channel) {
        self.endpoint = endpoint
        self.address = address
        self.connection = connection
    }

    var supportedAuthenticationMethods: NIOSSHAvailableUserAuthenticationMethods { .publicKey }

    func requestReceived(
        request: NIOSSHUserAuthenticationRequest, responsePromise: EventLoopPromise<NIOSSHUserAuthenticationOutcome>
    ) {
        // "none" is every client's opening question, not an attempt: it is refused
        // (listing publickey) without counting against the address.
        if case .none = request.request {
            responsePromise.succeed(.failure)
            return
        }
        var key: NIOSSHPublicKey?
        if case .publicKey(let offered) = request.request { key = offered.publicKey }
        guard let granted = endpoint.authenticate(key, from: address, connection: connection) else {
            responsePromise.succeed(.failure)
            // Over the limit: the connection ends rather than being allowed more tries.
            if endpoint.isBlocked(address) { connection.close(promise: nil) }
            return
        }
        access = granted
        responsePromise.succeed(.success)
    }
}

/// A connection that errs (a client that misbehaves) is closed; others carry on.
private final class ConnectionErrors: ChannelInboundHandler, Sendable {
    typealias InboundIn = Any
    func errorCaught(context: ChannelHandlerContext, error: Error) { context.close(promise: nil) }
}
