import GatewayKit

/// A kubeconfig as kubectl reads it: the named clusters, users and contexts of one file,
/// or of several merged (`KUBECONFIG=a:b`), and the current context.
///
/// Paths inside (certificate-authority, client-certificate, client-key, tokenFile, an
/// exec command with a slash) are already made absolute against the file that named
/// them, as kubectl does, so that merged files keep their meaning.
public struct Kubeconfig: Hashable, Sendable {
    public var clusters: [String: ClusterEntry] = [:]
    public var users: [String: UserEntry] = [:]
    public var contexts: [String: ContextEntry] = [:]
    public var currentContext: String?
    /// Where each entry came from, for messages: `"users[admin]" → "/root/.kube/config"`.
    public var origins: [String: String] = [:]

    public init() {}

    public struct ClusterEntry: Hashable, Sendable {
        public var server: String
        public var certificateAuthority: String?
        /// PEM bytes, decoded from base64 `certificate-authority-data`.
        public var certificateAuthorityData: [UInt8]?
        public var insecureSkipTLSVerify: Bool
        /// `tls-server-name`: the name sent as SNI and checked in the server's certificate,
        /// when the server's address is not a name its certificate holds.
        public var tlsServerName: String?
        /// `proxy-url`: `http://` or `socks5://` (AsyncHTTPClient has no `https://` proxy).
        public var proxyURL: String?
        /// Where the entry sits in its file (`clusters[0].cluster`), for later errors.
        public var field: FieldPath
    }

    /// A user's credentials. `description` leaves every secret out, so that it can be
    /// printed or logged safely.
    public struct UserEntry: Hashable, Sendable, CustomStringConvertible {
        public var token: String?
        public var tokenFile: String?
        public var clientCertificate: String?
        public var clientCertificateData: [UInt8]?
        public var clientKey: String?
        public var clientKeyData: [UInt8]?
        public var exec: ExecConfig?
        /// `as`, `as-uid`, `as-groups`, `as-user-extra`: whom every request acts as.
        public var impersonation: Impersonation?
        /// `auth-provider: {name: oidc, …}`, the only auth-provider kgate takes.
        public var authProvider: OIDCConfig?
        public var field: FieldPath

        public var description: String {
            var parts: [String] = []
            if token != nil { parts.append("token (redacted)") }
            if let tokenFile { parts.append("tokenFile \(tokenFile)") }
            if clientCertificate != nil || clientCertificateData != nil { parts.append("client certificate") }
            if clientKey != nil || clientKeyData != nil { parts.append("client key (redacted)") }
            if let exec { parts.append("exec \(exec.command)") }
            if let authProvider { parts.append("auth-provider \(authProvider)") }
            if let impersonation { parts.append("as \(impersonation.user)") }
            return "UserEntry(" + parts.joined(separator: ", ") + ")"
        }
    }

    /// Impersonation as client-go sends it: `Impersonate-User`, one `Impersonate-Group` per
    /// group, `Impersonate-Uid`, and `Impersonate-Extra-<key>` once per value.
    public struct Impersonation: Hashable, Sendable {
        public var user: String
        public var uid: String?
        public var groups: [String]
        public var extra: [String: [String]]

        public init(user: String, uid: String? = nil, groups: [String] = [], extra: [String: [String]] = [:]) {
            self.user = user
            self.uid = uid
            self.groups = groups
            self.extra = extra
        }
    }

    /// `users[].user.exec`: a credential plugin (client.authentication.k8s.io).
    public struct ExecConfig: Hashable, Sendable {
        public var command: String
        public var arguments: [String]
        public var environment: [String: String]
        public var apiVersion: String
        /// `Never`, `IfAvailable` or `Always`: whether the plugin may use the terminal.
        /// kgate never gives it one, so `Always` is refused when the plugin would run.
        public var interactiveMode: String = "IfAvailable"
        /// `provideClusterInfo`: the cluster goes to the plugin in `KUBERNETES_EXEC_INFO`.
        public var provideClusterInfo = false
        /// The cluster of the context, set when the context is resolved (for `provideClusterInfo`).
        public var cluster: ExecClusterInfo?
    }

    /// `spec.cluster` of `KUBERNETES_EXEC_INFO`, as client-go fills it.
    public struct ExecClusterInfo: Hashable, Sendable {
        public var server: String
        public var tlsServerName: String?
        public var insecureSkipTLSVerify: Bool
        public var certificateAuthorityData: [UInt8]?
        public var proxyURL: String?
    }

    public struct ContextEntry: Hashable, Sendable {
        public var cluster: String
        public var user: String
        public var namespace: String?
        public var field: FieldPath
    }

    /// Adds `other`'s entries under kubectl's merge rule: the first file to set a name (or
    /// the current context) wins, later files only fill in what is missing.
    public mutating func merge(_ other: Kubeconfig) {
        clusters.merge(other.clusters) { mine, _ in mine }
        users.merge(other.users) { mine, _ in mine }
        contexts.merge(other.contexts) { mine, _ in mine }
        origins.merge(other.origins) { mine, _ in mine }
        if currentContext == nil { currentContext = other.currentContext }
    }
}
