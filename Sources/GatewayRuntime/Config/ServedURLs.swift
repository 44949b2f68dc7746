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
                let path = Self.firstPath(server.locations)
                urls.append(
                    ServedURL(
                        project: site.project, url: "http://\(host):\(site.httpPort)\(path)",
                        hint: "curl -H 'Host: \(host)' http://\(target):\(site.httpPort)\(path)"))
                if server.tls != nil {
                    urls.append(
                        ServedURL(
                            project: site.project, url: "https://\(host):\(site.httpsPort)\(path)",
                            hint: "curl -k --resolve \(host):\(site.httpsPort):\(target) https://\(host):\(site.httpsPort)\(path)"))
                }
            }
            if site.defaultLocations.contains(where: { $0.target != .notFound }) {
                let path = Self.firstPath(site.defaultLocations)
                urls.append(
                    ServedURL(
                        project: site.project, url: "http://\(target):\(site.httpPort)\(path)",
                        hint: "curl http://\(target):\(site.httpPort)\(path)"))
            }
            return urls
        }
    }

    /// The shortest routed path: `/` when it is served, else e.g. `/v1/`.
    private static func firstPath(_ locations: [NginxLocation]) -> String {
        locations.filter { $0.target != .notFound }.map(\.match.path).min { ($0.count, $0) < ($1.count, $1) } ?? "/"
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
