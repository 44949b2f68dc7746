/// What `kgate serve` tells the operator: each host's URL on the local ports, and a curl
/// line that reaches it without DNS (the Host header, or `--resolve` for https so that
/// SNI picks the right certificate).
public struct ServedURL: Hashable, Sendable {
    public var project: String
    public var url: String
    public var hint: String
}

extension NginxPlan {
    public var servedURLs: [ServedURL] {
        let target = Self.connectAddress(listenAddress)
        return sites.flatMap { site -> [ServedURL] in
            var urls: [ServedURL] = []
            for server in site.servers {
                // A wildcard host is reached through any name under it.
                let host = server.host.hasPrefix("*.") ? "www" + server.host.dropFirst() : server.host
                let path = Self.urlPath(Self.firstPath(server.locations))
                // A TLS host's http URL only redirects; its https URL needs a certificate.
                if !(server.isTLSHost && site.sslRedirect) {
                    urls.append(
                        ServedURL(
                            project: site.project, url: "http://\(host):\(site.httpPort)\(path)",
                            hint: ShellWord.command(["curl", "-H", "Host: \(host)", "http://\(target):\(site.httpPort)\(path)"])))
                }
                if server.isTLSHost, (server.tls ?? site.defaultCertificate) != nil {
                    urls.append(
                        ServedURL(
                            project: site.project, url: "https://\(host):\(site.httpsPort)\(path)",
                            hint: ShellWord.command([
                                "curl", "-k", "--resolve", "\(host):\(site.httpsPort):\(target)",
                                "https://\(host):\(site.httpsPort)\(path)",
                            ])))
                }
            }
            if site.defaultLocations.contains(where: { $0.target != .notFound }) {
                let path = Self.urlPath(Self.firstPath(site.defaultLocations))
                urls.append(
                    ServedURL(
                        project: site.project, url: "http://\(target):\(site.httpPort)\(path)",
                        hint: ShellWord.command(["curl", "http://\(target):\(site.httpPort)\(path)"])))
            }
            return urls
        }
    }

    /// The shortest routed path: `/` when it is served, else e.g. `/v1/`.
    private static func firstPath(_ locations: [NginxLocation]) -> String {
        locations.filter { $0.target != .notFound }.map(\.match.path).min { ($0.count, $0) < ($1.count, $1) } ?? "/"
    }

    /// A location's path as a URL path: nginx matches locations against the decoded
    /// path, so whatever a URL would not carry literally (`?`, `#`, `%`, spaces, brackets,
    /// non-ASCII) is percent-encoded and reaches the location as written.
    static func urlPath(_ path: String) -> String {
        var text = ""
        for byte in path.utf8 {
            let scalar = Unicode.Scalar(byte)
            if byte < 0x80, scalar.properties.isAlphabetic || ("0"..."9").contains(Character(scalar))
                || "-._~/!$&'()*+,;=:@".unicodeScalars.contains(scalar)
            {
                text.unicodeScalars.append(scalar)
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                text += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return text
    }

    /// Where a client on this machine connects: loopback for a wildcard listen address.
    static func connectAddress(_ address: String) -> String {
        switch address {
        case "0.0.0.0": "127.0.0.1"
        case "::": "[::1]"
        default: address.contains(":") ? "[\(address)]" : address
        }
    }
}
