/// Auto-generated route hosts: `<service>.<project>.<gateway address>.<base>`, such as
/// `nginx.demo.192.168.0.2.nip.io`. Where the gateway's address is a hostname (an ELB),
/// the host is that hostname itself. The base is `nip.io` unless the workspace settings
/// say otherwise (kubesphere#2003).
public enum AutoDomain {
    /// The host for a rule whose first path goes to `service`, or nil while the gateway has
    /// no address.
    public static func host(service: String, project: String, gateway: GatewayView?, base: String) -> String? {
        guard let address = gateway?.primaryAddress else { return nil }
        if address.isHostname { return address.address }
        return "\(service).\(project).\(address.address).\(base)"
    }

    /// Reads an auto-generated host back: the service, project, IPv4 address and base it
    /// was made of, or nil when `host` is not of that shape.
    public static func parse(_ host: String, project: String) -> (service: String, address: String, base: String)? {
        let labels = host.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        // service . project . a . b . c . d . base(≥2 labels)
        guard labels.count >= 8, let projectIndex = labels.firstIndex(of: project), projectIndex >= 1,
            labels.count - projectIndex - 1 >= 6
        else { return nil }
        let octets = labels[(projectIndex + 1)...(projectIndex + 4)]
        guard octets.allSatisfy({ UInt8($0) != nil && ($0 == "0" || !$0.hasPrefix("0")) }) else { return nil }
        return (
            service: labels[..<projectIndex].joined(separator: "."),
            address: octets.joined(separator: "."),
            base: labels[(projectIndex + 5)...].joined(separator: ".")
        )
    }

    /// Auto-generated hosts of `routes` that no longer point at the gateway's address,
    /// each with the host it should become (kubesphere#4903: switching NodePort to
    /// LoadBalancer left hosts with the old IP).
    public static func staleHosts(routes: [Route], project: String, gateway: GatewayView?, base: String) -> [StaleHost] {
        routes.flatMap { route in
            route.rules.enumerated().compactMap { index, rule -> StaleHost? in
                guard let parsed = parse(rule.host, project: project) else { return nil }
                let service = rule.paths.first?.backend.service ?? parsed.service
                let replacement = host(service: service, project: project, gateway: gateway, base: parsed.base)
                guard replacement != rule.host else { return nil }
                return StaleHost(route: route.name, ruleIndex: index, host: rule.host, replacement: replacement)
            }
        }
    }
}

/// An auto-generated host that embeds an address the gateway no longer has.
public struct StaleHost: Hashable, Sendable, CustomStringConvertible {
    public var route: String
    public var ruleIndex: Int
    public var host: String
    /// What the host should be now; nil while the gateway has no address.
    public var replacement: String?

    public init(route: String, ruleIndex: Int, host: String, replacement: String?) {
        self.route = route
        self.ruleIndex = ruleIndex
        self.host = host
        self.replacement = replacement
    }

    public var description: String {
        "route \(route) rule \(ruleIndex): host \(host) is stale"
            + (replacement.map { ", regenerate as \($0)" } ?? " (the gateway has no address yet)")
    }
}
