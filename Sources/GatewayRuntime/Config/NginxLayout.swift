/// Where everything of a running gateway lives, all inside one runtime folder, so that
/// nginx runs as an ordinary user and never touches /var, /run or /etc.
///
///     <folder>/nginx.conf
///     <folder>/nginx.pid
///     <folder>/logs/error.log, access.log
///     <folder>/logs/access-<project>.log          (JSON lines, see `AccessRecord`)
///     <folder>/reload.json                        (the last config load, see `ReloadRecord`)
///     <folder>/temp/{client_body,proxy,fastcgi,uwsgi,scgi}
///     <folder>/tls/<namespace>.<secret>.crt, .key     (folder 0700, files 0600)
public struct NginxLayout: Hashable, Sendable {
    /// An absolute path: nginx's `-p` prefix.
    public var folder: String

    public init(folder: String) {
        var folder = folder
        while folder.count > 1, folder.hasSuffix("/") { folder.removeLast() }
        self.folder = folder
    }

    public var configFile: String { "\(folder)/nginx.conf" }
    public var pidFile: String { "\(folder)/nginx.pid" }
    public var logsFolder: String { "\(folder)/logs" }
    public var errorLog: String { "\(logsFolder)/error.log" }
    public var accessLog: String { "\(logsFolder)/access.log" }
    /// A project's requests, one JSON line each; project names are DNS labels.
    public func accessLog(project: String) -> String { "\(logsFolder)/\(Self.accessLogName(project: project))" }
    public static func accessLogName(project: String) -> String { "access-\(project).log" }
    public var reloadRecord: String { "\(folder)/\(Self.reloadRecordName)" }
    public static let reloadRecordName = "reload.json"
    public var tempFolder: String { "\(folder)/temp" }
    public var tlsFolder: String { "\(folder)/tls" }

    public static let tempNames = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]

    public func temp(_ name: String) -> String { "\(tempFolder)/\(name)" }

    /// Namespaces and secret names are DNS names: no dots in a namespace, so
    /// `<namespace>.<secret>` never names two secrets.
    public func certificate(_ secret: SecretReference) -> String { "\(tlsFolder)/\(secret.namespace).\(secret.name).crt" }
    public func key(_ secret: SecretReference) -> String { "\(tlsFolder)/\(secret.namespace).\(secret.name).key" }
}
