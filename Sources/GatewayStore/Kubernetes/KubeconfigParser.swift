import Foundation
import GatewayKit
import Yams

/// Reads one kubeconfig file's text. Every wrong field is reported with its path, as
/// `users[1].user.client-key-data: must be base64`, all at once, so that an operator fixes
/// a file in one go. Secrets are never part of a message.
public enum KubeconfigParser {
    /// `file` names the source in messages and is the folder relative paths are read from.
    public static func parse(_ text: String, file: String) throws(StoreError) -> Kubeconfig {
        let object = "kubeconfig \(file)"
        let root: Yams.Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw .invalid(object: object, errors: [KubeconfigSyntax.error(error, text: text)])
        }
        var config = Kubeconfig()
        guard let root else { return config }  // an empty file is an empty config, as in kubectl
        guard let mapping = root.mapping else {
            throw .invalid(object: object, errors: [FieldError("", "must be a map (apiVersion, clusters, users, contexts)")])
        }
        var reader = FieldCollector(folder: (file as NSString).deletingLastPathComponent)
        if let current = reader.string(mapping["current-context"], "current-context"), !current.isEmpty {
            config.currentContext = current
        }
        for (index, item, name) in reader.namedList(mapping["clusters"], "clusters") {
            let field = FieldPath("clusters").index(index).child("cluster")
            if let cluster = reader.cluster(item?.mapping?["cluster"], field) {
                config.clusters[name] = cluster
                config.origins["clusters[\(name)]"] = file
            }
        }
        for (index, item, name) in reader.namedList(mapping["users"], "users") {
            let field = FieldPath("users").index(index).child("user")
            if let user = reader.user(item?.mapping?["user"], field) {
                config.users[name] = user
                config.origins["users[\(name)]"] = file
            }
        }
        for (index, item, name) in reader.namedList(mapping["contexts"], "contexts") {
            let field = FieldPath("contexts").index(index).child("context")
            if let context = reader.context(item?.mapping?["context"], field) {
                config.contexts[name] = context
                config.origins["contexts[\(name)]"] = file
            }
        }
        guard reader.errors.isEmpty else { throw .invalid(object: object, errors: reader.errors) }
        return config
    }
}

/// Reads typed fields out of Yams nodes, recording each wrong one with its path.
private struct FieldCollector {
    let folder: String
    var errors: [FieldError] = []

    mutating func string(_ node: Yams.Node?, _ field: FieldPath) -> String? {
        guard let node, node.null == nil else { return nil }
        guard let scalar = node.scalar else {
            errors.append(FieldError(field, "must be a string"))
            return nil
        }
        return scalar.string
    }

    mutating func bool(_ node: Yams.Node?, _ field: FieldPath) -> Bool {
        guard let node else { return false }
        guard let value = node.bool else {
            errors.append(FieldError(field, "must be true or false"))
            return false
        }
        return value
    }

    /// A relative path is read against the kubeconfig's own folder (kubectl's rule). `~` is
    /// not a home folder here: client-go does not expand it, so `~/ca.crt` is `<folder>/~/ca.crt`.
    mutating func path(_ node: Yams.Node?, _ field: FieldPath) -> String? {
        guard let text = string(node, field), !text.isEmpty else { return nil }
        if text.hasPrefix("/") { return text }
        return folder.isEmpty ? text : "\(folder)/\(text)"
    }

    /// Base64 `*-data` fields, decoded to bytes. The value itself never enters a message.
    mutating func base64(_ node: Yams.Node?, _ field: FieldPath) -> [UInt8]? {
        guard let text = string(node, field), !text.isEmpty else { return nil }
        let compact = text.filter { !$0.isWhitespace }
        guard let data = Data(base64Encoded: compact) else {
            errors.append(FieldError(field, "must be base64 (the value is not shown)"))
            return nil
        }
        return Array(data)
    }

    /// `clusters:`, `users:`, `contexts:`: lists of `{name, <entry>}`.
    mutating func namedList(_ node: Yams.Node?, _ field: FieldPath) -> [(Int, Yams.Node?, String)] {
        guard let node, node.null == nil else { return [] }
        guard let items = node.sequence else {
            errors.append(FieldError(field, "must be a list"))
            return []
        }
        var result: [(Int, Yams.Node?, String)] = []
        var seen: Set<String> = []
        for (index, item) in items.enumerated() {
            let path = field.index(index)
            guard let mapping = item.mapping else {
                errors.append(FieldError(path, "must be a map with name and \(field.description.dropLast())"))
                continue
            }
            guard let name = string(mapping["name"], path.child("name")), !name.isEmpty else {
                errors.append(FieldError(path.child("name"), "Required value"))
                continue
            }
            // client-go refuses the whole file rather than pick one of two same-named entries.
            guard seen.insert(name).inserted else {
                errors.append(FieldError(path.child("name"), "Duplicate value: \(jsonQuotedText(name)) is named twice in \(field)"))
                continue
            }
            result.append((index, item, name))
        }
        return result
    }

    mutating func cluster(_ node: Yams.Node?, _ field: FieldPath) -> Kubeconfig.ClusterEntry? {
        guard let mapping = node?.mapping else {
            errors.append(FieldError(field, "Required value"))
            return nil
        }
        let server = string(mapping["server"], field.child("server")) ?? ""
        if server.isEmpty {
            errors.append(FieldError(field.child("server"), "Required value"))
        } else if !(server.hasPrefix("https://") || server.hasPrefix("http://")) {
            errors.append(FieldError(field.child("server"), "must be an http:// or https:// URL, not \(jsonQuotedText(ServerAddress.redacted(server)))"))
        }
        return Kubeconfig.ClusterEntry(
            server: server, certificateAuthority: path(mapping["certificate-authority"], field.child("certificate-authority")),
            certificateAuthorityData: base64(mapping["certificate-authority-data"], field.child("certificate-authority-data")),
            insecureSkipTLSVerify: bool(mapping["insecure-skip-tls-verify"], field.child("insecure-skip-tls-verify")),
            tlsServerName: string(mapping["tls-server-name"], field.child("tls-server-name")).flatMap { $0.isEmpty ? nil : $0 },
            proxyURL: proxy(mapping["proxy-url"], field.child("proxy-url")), field: field)
    }

    mutating func user(_ node: Yams.Node?, _ field: FieldPath) -> Kubeconfig.UserEntry? {
        guard let node else { return nil }
        if node.null != nil { return Kubeconfig.UserEntry(field: field) }
        guard let mapping = node.mapping else {
            errors.append(FieldError(field, "must be a map"))
            return nil
        }
        var user = Kubeconfig.UserEntry(field: field)
        user.token = string(mapping["token"], field.child("token")).flatMap { $0.isEmpty ? nil : $0 }
        user.tokenFile = path(mapping["tokenFile"], field.child("tokenFile"))
        user.clientCertificate = path(mapping["client-certificate"], field.child("client-certificate"))
        user.clientCertificateData = base64(mapping["client-certificate-data"], field.child("client-certificate-data"))
        user.clientKey = path(mapping["client-key"], field.child("client-key"))
        user.clientKeyData = base64(mapping["client-key-data"], field.child("client-key-data"))
        // Whether the fields are there, decoded or not: a bad one is reported on its own.
        let hasCertificate = mapping["client-certificate"] != nil || mapping["client-certificate-data"] != nil
        let hasKey = mapping["client-key"] != nil || mapping["client-key-data"] != nil
        if hasCertificate != hasKey {
            errors.append(FieldError(
                field.child(hasCertificate ? "client-key-data" : "client-certificate-data"),
                "Required value: a client certificate and its key go together"))
        }
        if let execNode = mapping["exec"], execNode.null == nil { user.exec = exec(execNode, field.child("exec")) }
        user.impersonation = impersonation(mapping, field)
        if let provider = mapping["auth-provider"], provider.null == nil {
            user.authProvider = authProvider(provider, field.child("auth-provider"))
        }
        for unsupported in ["username"] where mapping[unsupported] != nil {
            errors.append(FieldError(field.child(unsupported), "not supported by kgate (use a token, a client certificate, an exec plugin or the oidc auth-provider)"))
        }
        return user
    }

    /// `auth-provider`: `oidc` as client-go's plugin takes it; any other name is refused
    /// naming it (gcp and azure with what replaced them).
    mutating func authProvider(_ node: Yams.Node, _ field: FieldPath) -> OIDCConfig? {
        guard let mapping = node.mapping else {
            errors.append(FieldError(field, "must be a map (name, config)"))
            return nil
        }
        let name = string(mapping["name"], field.child("name")) ?? ""
        guard name == "oidc" else {
            if name.isEmpty {
                errors.append(FieldError(field.child("name"), "Required value"))
            } else if let replacement = OIDCConfig.retiredProviders[name] {
                errors.append(FieldError(field.child("name"), "\(jsonQuotedText(name)) is not supported by kgate: \(replacement)"))
            } else {
                errors.append(FieldError(
                    field.child("name"), "\(jsonQuotedText(TerminalText.escaped(name))) is not supported by kgate: only the oidc auth-provider is (or use an exec plugin)"))
            }
            return nil
        }
        let configField = field.child("config")
        let config = mapping["config"]?.mapping
        if mapping["config"] != nil, mapping["config"]?.null == nil, config == nil { errors.append(FieldError(configField, "must be a map of strings")) }
        func value(_ key: String) -> String? {
            string(config?[key], configField.child(key)).flatMap { $0.isEmpty ? nil : $0 }
        }
        // client-go's plugin refuses to start without these two.
        let issuer = value("idp-issuer-url")
        let clientID = value("client-id")
        if issuer == nil { errors.append(FieldError(configField.child("idp-issuer-url"), "Required value: the oidc auth-provider needs the issuer's URL")) }
        if clientID == nil { errors.append(FieldError(configField.child("client-id"), "Required value: the oidc auth-provider needs the client id")) }
        if let issuer, !issuer.lowercased().hasPrefix("https://") {
            errors.append(FieldError(
                configField.child("idp-issuer-url"), "must be an https:// URL: the refresh-token and client-secret are never sent over plain http"))
        }
        let caField = configField.child("idp-certificate-authority")
        let ca = path(config?["idp-certificate-authority"], caField)
        let caData = base64(config?["idp-certificate-authority-data"], configField.child("idp-certificate-authority-data"))
        if ca != nil, caData != nil {
            errors.append(FieldError(
                configField.child("idp-certificate-authority-data"),
                "idp-certificate-authority-data and idp-certificate-authority are both specified: keep one"))
        }
        return OIDCConfig(
            issuerURL: issuer ?? "", clientID: clientID ?? "", clientSecret: value("client-secret"), idToken: value("id-token"),
            refreshToken: value("refresh-token"), issuerCertificateAuthority: ca, issuerCertificateAuthorityData: caData,
            extraScopes: value("extra-scopes"))
    }

    /// `proxy-url`, checked as client-go checks it, less the https scheme kgate cannot speak.
    mutating func proxy(_ node: Yams.Node?, _ field: FieldPath) -> String? {
        guard let text = string(node, field), !text.isEmpty else { return nil }
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(), url.host?.isEmpty == false else {
            errors.append(FieldError(field, "must be a URL such as http://proxy:3128 or socks5://proxy:1080"))
            return nil
        }
        guard scheme == "http" || scheme == "socks5" else {
            let reason = scheme == "https" ? "an https:// proxy is not supported by kgate" : "the scheme \(scheme) is not a proxy scheme"
            errors.append(FieldError(field, "\(reason); use http:// or socks5://"))
            return nil
        }
        return text
    }

    /// `as` and its companions; client-go impersonates only when `as` names a user.
    mutating func impersonation(_ mapping: Yams.Node.Mapping, _ field: FieldPath) -> Kubeconfig.Impersonation? {
        let user = string(mapping["as"], field.child("as")) ?? ""
        let uid = string(mapping["as-uid"], field.child("as-uid")).flatMap { $0.isEmpty ? nil : $0 }
        let groups = stringList(mapping["as-groups"], field.child("as-groups"))
        var extra: [String: [String]] = [:]
        if let node = mapping["as-user-extra"], node.null == nil {
            if let entries = node.mapping {
                for (key, values) in entries {
                    let name = key.scalar?.string ?? ""
                    extra[name] = stringList(values, field.child("as-user-extra").child(name))
                }
            } else {
                errors.append(FieldError(field.child("as-user-extra"), "must be a map of lists of strings"))
            }
        }
        guard !user.isEmpty else { return nil }
        return Kubeconfig.Impersonation(user: user, uid: uid, groups: groups, extra: extra)
    }

    mutating func stringList(_ node: Yams.Node?, _ field: FieldPath) -> [String] {
        guard let node, node.null == nil else { return [] }
        guard let items = node.sequence else {
            errors.append(FieldError(field, "must be a list of strings"))
            return []
        }
        return items.enumerated().compactMap { index, item in string(item, field.index(index)) }
    }

    mutating func exec(_ node: Yams.Node, _ field: FieldPath) -> Kubeconfig.ExecConfig? {
        guard let mapping = node.mapping else {
            errors.append(FieldError(field, "must be a map"))
            return nil
        }
        guard let rawCommand = string(mapping["command"], field.child("command")), !rawCommand.isEmpty else {
            errors.append(FieldError(field.child("command"), "Required value"))
            return nil
        }
        // kubectl looks a bare name up on PATH and reads a relative path against the file.
        let command = rawCommand.contains("/") ? (path(mapping["command"], field.child("command")) ?? rawCommand) : rawCommand
        var arguments: [String] = []
        if let list = mapping["args"], list.null == nil {
            if let items = list.sequence {
                for (index, item) in items.enumerated() {
                    arguments.append(string(item, field.child("args").index(index)) ?? "")
                }
            } else {
                errors.append(FieldError(field.child("args"), "must be a list of strings"))
            }
        }
        var environment: [String: String] = [:]
        if let list = mapping["env"], list.null == nil {
            for (index, item) in (list.sequence ?? []).enumerated() {
                let path = field.child("env").index(index)
                guard let name = string(item.mapping?["name"], path.child("name")), !name.isEmpty else {
                    errors.append(FieldError(path.child("name"), "Required value"))
                    continue
                }
                environment[name] = string(item.mapping?["value"], path.child("value")) ?? ""
            }
        }
        let apiVersion = string(mapping["apiVersion"], field.child("apiVersion")) ?? ""
        let known = ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"]
        if !known.contains(apiVersion) {
            errors.append(FieldError(field.child("apiVersion"), "must be one of \(known.joined(separator: ", "))"))
        }
        var config = Kubeconfig.ExecConfig(command: command, arguments: arguments, environment: environment, apiVersion: apiVersion)
        // client-go defaults the mode for v1beta1 only; v1 must name it.
        let modes = ["Never", "IfAvailable", "Always"]
        switch string(mapping["interactiveMode"], field.child("interactiveMode")) {
        case let mode? where modes.contains(mode):
            config.interactiveMode = mode
        case let mode? where !mode.isEmpty:
            errors.append(FieldError(field.child("interactiveMode"), "must be one of Never, IfAvailable, Always, not \(jsonQuotedText(mode))"))
        default:
            if apiVersion == "client.authentication.k8s.io/v1" {
                errors.append(FieldError(
                    field.child("interactiveMode"),
                    "Required value: interactiveMode must be specified (Never, IfAvailable or Always) for client.authentication.k8s.io/v1, as kubectl requires"))
            }
        }
        config.provideClusterInfo = bool(mapping["provideClusterInfo"], field.child("provideClusterInfo"))
        return config
    }

    mutating func context(_ node: Yams.Node?, _ field: FieldPath) -> Kubeconfig.ContextEntry? {
        guard let mapping = node?.mapping else {
            errors.append(FieldError(field, "Required value"))
            return nil
        }
        let cluster = string(mapping["cluster"], field.child("cluster")) ?? ""
        if cluster.isEmpty { errors.append(FieldError(field.child("cluster"), "Required value")) }
        return Kubeconfig.ContextEntry(
            cluster: cluster, user: string(mapping["user"], field.child("user")) ?? "",
            namespace: string(mapping["namespace"], field.child("namespace")).flatMap { $0.isEmpty ? nil : $0 },
            field: field)
    }
}

extension Kubeconfig.UserEntry {
    init(field: FieldPath) { self.field = field }
}

/// A value quoted for a message (a server URL: never a secret).
func jsonQuotedText(_ text: String) -> String {
    "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
}
