import Foundation

/// How `kgate ssh-server` runs; the command fills it from its flags.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var hostKey: HostKey
    public var authorizedKeysPath: String
    /// The console command per session, before the role's and projects' arguments.
    public var consoleExecutable: String
    public var consoleArguments: [String]
    public var maximumSessions: Int
    public var idleTimeout: TimeInterval
    /// How often the authorized keys file is checked for a change.
    public var keysCheckInterval: TimeInterval = 0.25

    public init(
        host: String, port: Int, hostKey: HostKey, authorizedKeysPath: String, consoleExecutable: String,
        consoleArguments: [String], maximumSessions: Int = 32, idleTimeout: TimeInterval = 30 * 60
    ) {
        self.host = host
        self.port = port
        self.hostKey = hostKey
        self.authorizedKeysPath = authorizedKeysPath
        self.consoleExecutable = consoleExecutable
        self.consoleArguments = consoleArguments
        self.maximumSessions = maximumSessions
        self.idleTimeout = idleTimeout
    }

    /// `host:port`, `:port` or `port`; an IPv6 host in brackets.
    public static func parseListen(_ text: String) throws(SSHServerError) -> (host: String, port: Int) {
        guard let colon = text.lastIndex(of: ":") else {
            guard let port = Int(text), (1...65535).contains(port) else {
                throw SSHServerError("--listen: expected host:port, not \"\(text)\"")
            }
            return ("127.0.0.1", port)
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw SSHServerError("--listen: the port must be a number from 0 to 65535 in \"\(text)\"")
        }
        return (host.isEmpty ? "127.0.0.1" : host, port)
    }
}
