import Foundation

/// How a request reaches a server whose certificate names another host than its URL
/// (`tls-server-name`): AsyncHTTPClient takes SNI and the verified name from the URL, so the
/// URL carries the TLS name, a DNS override sends the connection to the real host, and
/// the `Host` header keeps the real `host:port`, as kubectl sends it.
enum ServerName {
    struct Route: Equatable {
        var base: String
        var dnsOverride: [String: String]
        var hostHeader: String?
    }

    static func route(server: String, tlsServerName: String?) -> Route {
        guard let tlsServerName, var components = URLComponents(string: server), let host = components.host else {
            return Route(base: server, dnsOverride: [:], hostHeader: nil)
        }
        let realHost = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        let hostHeader = components.port.map { "\(host):\($0)" } ?? host
        components.host = tlsServerName
        if components.port == nil { components.port = 443 }
        guard let base = components.string else { return Route(base: server, dnsOverride: [:], hostHeader: nil) }
        return Route(base: base, dnsOverride: [tlsServerName: realHost], hostHeader: hostHeader)
    }
}

/// client-go's impersonation headers: one `Impersonate-Group` per group and one
/// `Impersonate-Extra-<key>` per value, the key percent-escaped as Go's `url.PathEscape`.
enum ImpersonationHeaders {
    static func headers(_ impersonation: Kubeconfig.Impersonation) -> [(String, String)] {
        var headers = [("Impersonate-User", impersonation.user)]
        if let uid = impersonation.uid { headers.append(("Impersonate-Uid", uid)) }
        headers += impersonation.groups.map { ("Impersonate-Group", $0) }
        for key in impersonation.extra.keys.sorted() {
            let name = "Impersonate-Extra-" + pathEscaped(key)
            headers += (impersonation.extra[key] ?? []).map { (name, $0) }
        }
        return headers
    }

    /// Go's `url.PathEscape`: unreserved characters and `$&+,:;=@` stay, the rest is %XX.
    static func pathEscaped(_ text: String) -> String {
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~$&+,:;=@")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
