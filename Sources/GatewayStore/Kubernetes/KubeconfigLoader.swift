import Foundation
import GatewayKit

/// Finds, merges and resolves kubeconfig files the way kubectl does, down to the one
/// cluster, user and namespace a `KubernetesStore` talks to.
///
/// - `--kubeconfig FILE`: that file alone, which must exist;
/// - else `KUBECONFIG`: a colon-separated list, missing files skipped, merged with the
///   first file winning for each named entry and for `current-context`;
/// - else `~/.kube/config`.
///
/// `--context NAME` picks the context, else `current-context`.
public enum KubeconfigLoader {
    /// The connection the options name. With no cluster in any file, no `--context`, and
    /// kgate in a pod (client-go's rule), the pod's service account: see `InClusterConfig`.
    public static func connection(
        kubeconfig: String?, context: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
        serviceAccountFolder: String = InClusterConfig.serviceAccountFolder
    ) throws(StoreError) -> ClusterConnection {
        let files = try files(kubeconfig: kubeconfig, environment: environment)
        var merged = Kubeconfig()
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else {
                if kubeconfig != nil { throw .unavailable(reason: "cannot read the kubeconfig \(file)") }
                continue  // KUBECONFIG may name files that do not exist; kubectl skips them
            }
            merged.merge(try KubeconfigParser.parse(String(decoding: data, as: UTF8.self), file: file))
        }
        if context == nil, merged.clusters.isEmpty, merged.contexts.isEmpty,
            let inCluster = try InClusterConfig.connection(environment: environment, folder: serviceAccountFolder)
        {
            return inCluster
        }
        return try resolve(merged, context: context, files: files)
    }

    /// The files to read, in merge order.
    public static func files(kubeconfig: String?, environment: [String: String]) throws(StoreError) -> [String] {
        if let kubeconfig {
            guard !kubeconfig.isEmpty else { throw .invalid(object: "--kubeconfig", errors: [FieldError("", "must name a file")]) }
            return [kubeconfig]
        }
        if let list = environment["KUBECONFIG"], !list.isEmpty {
            var seen = Set<String>()
            return list.split(separator: ":").map(String.init).filter { !$0.isEmpty && seen.insert($0).inserted }
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return ["\(home)/.kube/config"]
    }

    /// The context `context` (else the current one) with its cluster and user.
    public static func resolve(_ config: Kubeconfig, context: String?, files: [String]) throws(StoreError) -> ClusterConnection {
        let object = "kubeconfig " + files.joined(separator: ":")
        guard let contextName = context ?? config.currentContext else {
            throw .invalid(
                object: object,
                errors: [FieldError("current-context", "Required value: no current context is set; name one with --context")])
        }
        guard let entry = config.contexts[contextName] else {
            let known = config.contexts.keys.sorted()
            let field: FieldPath = context != nil ? "--context" : "current-context"
            throw .invalid(
                object: object,
                errors: [FieldError(field, "context \(jsonQuotedText(contextName)) not found (contexts: \(known.isEmpty ? "none" : known.joined(separator: ", ")))")])
        }
        guard let cluster = config.clusters[entry.cluster] else {
            throw .invalid(
                object: origin(config, "contexts[\(contextName)]", files),
                errors: [FieldError(entry.field.child("cluster"), "cluster \(jsonQuotedText(entry.cluster)) not found")])
        }
        var user = Kubeconfig.UserEntry(field: entry.field.child("user"))
        if !entry.user.isEmpty {
            guard let found = config.users[entry.user] else {
                throw .invalid(
                    object: origin(config, "contexts[\(contextName)]", files),
                    errors: [FieldError(entry.field.child("user"), "user \(jsonQuotedText(entry.user)) not found")])
            }
            user = found
        }
        let clusterFile = origin(config, "clusters[\(entry.cluster)]", files)
        let userFile = origin(config, "users[\(entry.user)]", files)
        try refuseConflicts(cluster, user, clusterFile: clusterFile, userFile: userFile)
        var connection = ClusterConnection(
            contextName: contextName, server: cluster.server, namespace: entry.namespace ?? "default")
        connection.impersonation = user.impersonation
        connection.proxyURL = cluster.proxyURL
        // client-go applies the cluster's TLS settings and the user's credentials only over
        // TLS: a token or a certificate never travels over plain http://.
        guard cluster.server.lowercased().hasPrefix("https://") else { return connection }
        if cluster.insecureSkipTLSVerify, cluster.certificateAuthority != nil || cluster.certificateAuthorityData != nil {
            throw .invalid(
                object: clusterFile,
                errors: [FieldError(
                    cluster.field.child("insecure-skip-tls-verify"),
                    "specifying a root certificates file with the insecure flag is not allowed (kubectl refuses it too): drop one")])
        }
        connection.insecureSkipTLSVerify = cluster.insecureSkipTLSVerify
        connection.tlsServerName = cluster.tlsServerName
        // `??` would erase the typed throw of `read`, hence the spelled-out fallbacks.
        connection.certificateAuthorityPEM = cluster.certificateAuthorityData
        if connection.certificateAuthorityPEM == nil {
            connection.certificateAuthorityPEM = try read(
                cluster.certificateAuthority, field: cluster.field.child("certificate-authority"), object: clusterFile)
        }
        connection.clientCertificatePEM = user.clientCertificateData
        if connection.clientCertificatePEM == nil {
            connection.clientCertificatePEM = try read(
                user.clientCertificate, field: user.field.child("client-certificate"), object: userFile)
        }
        connection.clientKeyPEM = user.clientKeyData
        if connection.clientKeyPEM == nil {
            connection.clientKeyPEM = try read(user.clientKey, field: user.field.child("client-key"), object: userFile)
        }
        // With both, client-go reads the file (anew, as it rotates) and ignores the token.
        if let tokenFile = user.tokenFile {
            connection.credential = .tokenFile(tokenFile)
        } else if let token = user.token {
            connection.credential = .token(token)
        } else if var exec = user.exec {
            if exec.provideClusterInfo {
                exec.cluster = Kubeconfig.ExecClusterInfo(
                    server: cluster.server, tlsServerName: cluster.tlsServerName, insecureSkipTLSVerify: cluster.insecureSkipTLSVerify,
                    certificateAuthorityData: connection.certificateAuthorityPEM, proxyURL: cluster.proxyURL)
            }
            connection.credential = .exec(exec)
        } else if var oidc = user.authProvider {
            // Refreshed tokens go back to the file that holds the user (client-go's persister).
            if let file = config.origins["users[\(entry.user)]"] ?? files.first {
                oidc.persistence = OIDCConfig.Persistence(file: file, user: entry.user)
            }
            connection.credential = .oidc(oidc)
        }
        return connection
    }

    /// A file and its `-data` twin both set: client-go's validation refuses the context
    /// rather than pick one, and so does kgate.
    private static func refuseConflicts(
        _ cluster: Kubeconfig.ClusterEntry, _ user: Kubeconfig.UserEntry, clusterFile: String, userFile: String
    ) throws(StoreError) {
        if cluster.certificateAuthority != nil, cluster.certificateAuthorityData != nil {
            throw .invalid(
                object: clusterFile,
                errors: [FieldError(
                    cluster.field.child("certificate-authority-data"),
                    "certificate-authority-data and certificate-authority are both specified (kubectl refuses it too): keep one")])
        }
        var errors: [FieldError] = []
        if user.clientCertificate != nil, user.clientCertificateData != nil {
            errors.append(FieldError(
                user.field.child("client-certificate-data"),
                "client-certificate-data and client-certificate are both specified (kubectl refuses it too): keep one"))
        }
        if user.clientKey != nil, user.clientKeyData != nil {
            errors.append(FieldError(
                user.field.child("client-key-data"),
                "client-key-data and client-key are both specified (kubectl refuses it too): keep one"))
        }
        if !errors.isEmpty { throw .invalid(object: userFile, errors: errors) }
    }

    private static func origin(_ config: Kubeconfig, _ key: String, _ files: [String]) -> String {
        "kubeconfig " + (config.origins[key] ?? files.joined(separator: ":"))
    }

    private static func read(_ path: String?, field: FieldPath, object: String) throws(StoreError) -> [UInt8]? {
        guard let path else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .invalid(object: object, errors: [FieldError(field, "cannot read \(path)")])
        }
        return Array(data)
    }
}

/// Everything a `KubernetesStore` needs to reach one cluster as one user. `description`
/// names the context and server only: credentials are never printed.
public struct ClusterConnection: Hashable, Sendable, CustomStringConvertible {
    public enum Credential: Hashable, Sendable {
        case none
        case token(String)
        /// Read anew for each request, so that a rotated projected token is picked up.
        case tokenFile(String)
        case exec(Kubeconfig.ExecConfig)
        /// `auth-provider: oidc`: the id-token, refreshed with the refresh-token.
        case oidc(OIDCConfig)
    }

    public var contextName: String
    /// `https://host:6443`, possibly with a path prefix (a proxy's).
    public var server: String
    public var namespace: String
    public var insecureSkipTLSVerify: Bool
    public var certificateAuthorityPEM: [UInt8]?
    public var clientCertificatePEM: [UInt8]?
    public var clientKeyPEM: [UInt8]?
    public var credential: Credential
    /// The name to send as SNI and to verify the server's certificate against, when not its host.
    public var tlsServerName: String?
    /// `http://` or `socks5://` proxy every connection goes through.
    public var proxyURL: String?
    /// Whom requests act as (the `Impersonate-*` headers); sent over http:// too, as kubectl does.
    public var impersonation: Kubeconfig.Impersonation?

    public init(
        contextName: String, server: String, namespace: String = "default", insecureSkipTLSVerify: Bool = false,
        certificateAuthorityPEM: [UInt8]? = nil, clientCertificatePEM: [UInt8]? = nil, clientKeyPEM: [UInt8]? = nil,
        credential: Credential = .none
    ) {
        self.contextName = contextName
        self.server = server
        self.namespace = namespace
        self.insecureSkipTLSVerify = insecureSkipTLSVerify
        self.certificateAuthorityPEM = certificateAuthorityPEM
        self.clientCertificatePEM = clientCertificatePEM
        self.clientKeyPEM = clientKeyPEM
        self.credential = credential
    }

    /// The server's userinfo (`user:pass@`) is redacted, and the text escaped.
    public var description: String { "cluster \(TerminalText.escaped(contextName)) (\(ServerAddress.shown(server)))" }
}
