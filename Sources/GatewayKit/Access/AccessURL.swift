/// The URL a route path is reached at through its project's gateway.
///
/// As KubeSphere's route detail computes it: https when a TLS entry lists the host, else
/// http; a NodePort gateway adds `:<node port of that protocol>` unless it is 80/443; a
/// LoadBalancer gateway adds no port.
///
///     node EIP 139.198.0.20, node ports http 30798 / https 31279, host demo.kubesphere.io
///     → http://demo.kubesphere.io:30798/    (with TLS: https://demo.kubesphere.io:31279/)
public struct AccessURL: Hashable, Sendable {
    public var route: String
    public var ruleIndex: Int
    public var pathIndex: Int
    public var host: String
    public var path: String
    public var scheme: String
    public var service: String
    public var port: String
    /// Nil while the gateway is not set or has no address or port yet, or when it does
    /// not serve the route.
    public var url: String?
    /// Why the gateway does not serve the path, what a view shows instead of a URL: `not
    /// served by this gateway: class X` for a route of another IngressClass, `not served:
    /// route web claimed it first` for a path another route serves (`PathConflicts`).
    public var notServed: String? = nil
    /// The route that serves the path instead, when another route claimed it first.
    public var servedBy: String? = nil

    /// The URL of every path of every rule of `route`, in order; `conflicts` are those of
    /// the route's project.
    public static func all(route: Route, gateway: GatewayView?, conflicts: PathConflicts) -> [AccessURL] {
        let classReason = gateway.flatMap { IngressClass.notServedReason(route, servedClass: $0.ingressClass) }
        // Why the path at (rule, path) is not served, and the route serving it instead.
        let served = { (rule: Int, path: Int) -> (notServed: String?, servedBy: String?) in
            if let classReason { return (classReason, nil) }
            let winner = conflicts.winner(of: PathConflicts.Place(route: route.name, rule: rule, path: path))
            return (winner.map { PathConflicts.notServedReason(route: route.name, winner: $0) }, winner)
        }
        // A route with only a default backend takes every host and path: it is reached
        // at the gateway's address.
        if route.rules.isEmpty, let backend = route.defaultBackend {
            let (notServed, servedBy) = served(0, 0)
            return [
                AccessURL(
                    route: route.name, ruleIndex: 0, pathIndex: 0, host: "", path: "*", scheme: "http",
                    service: backend.service, port: backend.portText,
                    url: notServed == nil ? url(scheme: "http", host: "", path: "/", gateway: gateway) : nil, notServed: notServed,
                    servedBy: servedBy)
            ]
        }
        return route.rules.enumerated().flatMap { ruleIndex, rule in
            rule.paths.enumerated().map { pathIndex, path in
                let scheme = route.isTLS(host: rule.host) ? "https" : "http"
                let (notServed, servedBy) = served(ruleIndex, pathIndex)
                return AccessURL(
                    route: route.name, ruleIndex: ruleIndex, pathIndex: pathIndex, host: rule.host,
                    path: path.path, scheme: scheme, service: path.backend.service,
                    port: path.backend.portText,
                    url: notServed == nil ? url(scheme: scheme, host: rule.host, path: path.path, gateway: gateway) : nil,
                    notServed: notServed, servedBy: servedBy)
            }
        }
    }

    /// The URL of `path` on `host`; a rule without a host is reached on the gateway's
    /// first address.
    public static func url(scheme: String, host: String, path: String, gateway: GatewayView?) -> String? {
        guard let gateway, gateway.status == .ready else { return nil }
        let target = host.isEmpty ? gateway.primaryAddress?.hostForURL : host
        guard let target else { return nil }
        let portName = scheme == "https" ? "https" : "http"
        guard let port = gateway.ports.first(where: { $0.name == portName }) else { return nil }
        let exposed: Int?
        switch gateway.type {
        case .nodePort: exposed = port.nodePort
        case .loadBalancer: exposed = port.port
        }
        guard let exposed else { return nil }
        return format(scheme: scheme, host: target, port: exposed) + (path.isEmpty ? "/" : path)
    }

    /// `http://host:30798`, with the port left out where it is the scheme's default.
    public static func format(scheme: String, host: String, port: Int) -> String {
        let isDefault = (scheme == "http" && port == 80) || (scheme == "https" && port == 443)
        return isDefault ? "\(scheme)://\(host)" : "\(scheme)://\(host):\(port)"
    }

    static func scheme(portName: String) -> String? {
        switch portName {
        case "http": "http"
        case "https": "https"
        default: nil
        }
    }
}
