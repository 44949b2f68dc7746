/// Hosts of Ingress rules and TLS entries, as Kubernetes' Ingress validation reads them:
/// a DNS-1123 subdomain, or a single leading `*.` wildcard, and never an IP address.
///
/// | host                | verdict                                   |
/// | ------------------- | ----------------------------------------- |
/// | `demo.kubesphere.io`| accepted                                  |
/// | `*.example.com`     | accepted                                  |
/// | `*.*.example.com`   | refused: the wildcard is one leading `*.` |
/// | `1.2.3.4`           | must be a DNS name, not an IP address     |
/// | `App.example.com`   | refused: lower case only                  |
/// | `example.com.`      | refused: no trailing dot                  |
extension Validate {
    public static let notAnIPAddressReason = "must be a DNS name, not an IP address"

    /// The reasons `host` is refused as a rule or TLS host. An empty rule host matches
    /// every host and is never passed here; an empty text is refused.
    public static func ingressHost(_ host: String) -> [String] {
        if IPAddress.looksLikeIPAddress(host) { return [notAnIPAddressReason] }
        if host.utf8.contains(UInt8(ascii: "*")) { return wildcardDNS1123Subdomain(host) }
        return dns1123Subdomain(host)
    }

    /// `*.` followed by a DNS-1123 subdomain, at most 253 in all.
    public static func wildcardDNS1123Subdomain(_ value: String) -> [String] {
        var reasons = maxLength(value, dns1123SubdomainMaxLength)
        let bytes = value.utf8
        let valid =
            bytes.starts(with: "*.".utf8) && ValidationBytes.isDNS1123Subdomain(bytes.dropFirst(2))
        if !valid {
            reasons.append(
                "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must "
                    + "consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric "
                    + "character (e.g. '*.example.com')")
        }
        return reasons
    }

    /// A DNS name that is not an IP: LoadBalancer hostnames, the auto-domain base.
    public static func dnsName(_ value: String) -> [String] {
        if IPAddress.looksLikeIPAddress(value) { return [notAnIPAddressReason] }
        return dns1123Subdomain(value)
    }

    /// An IPv4 or IPv6 address, strictly written.
    public static func ipAddress(_ value: String) -> [String] {
        IPAddress(value) == nil ? ["must be a valid IP address (e.g. '10.9.8.7' or '2001:db8::ffff')"] : []
    }
}
