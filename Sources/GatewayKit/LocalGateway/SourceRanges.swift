/// ingress-nginx's source-address annotations, which the local gateway implements as
/// nginx `allow`/`deny` rules on the route's locations, in ingress-nginx's order: the
/// denied ranges first, then, when an allow list is given, those ranges and `deny all`.
///
///     nginx.ingress.kubernetes.io/whitelist-source-range: "10.0.0.0/8, 127.0.0.1"
public struct SourceRanges: Hashable, Sendable {
    /// `allowlist-source-range` is the newer name of `whitelist-source-range`.
    static let allowNames = ["allowlist-source-range", "whitelist-source-range"]
    static let denyName = "denylist-source-range"
    static let names = Set(allowNames + [denyName])

    /// Ranges allowed; empty means no allow list (everyone not denied may come).
    public var allow: [String] = []
    public var deny: [String] = []

    public init(allow: [String] = [], deny: [String] = []) {
        self.allow = allow
        self.deny = deny
    }

    public var isEmpty: Bool { allow.isEmpty && deny.isEmpty }

    /// The ranges a route's annotations ask for; ranges that do not parse are left out
    /// here, and `IngressNginxAnnotations.assess` refuses such a route.
    public static func of(_ annotations: [String: String]) -> SourceRanges {
        // Most routes have no annotations: nothing to look up (three keys built per route
        // were a twentieth of nginx.conf's plan at 10,000 routes).
        guard !annotations.isEmpty else { return SourceRanges() }
        let prefix = IngressNginxAnnotations.prefix
        let allow = allowNames.lazy.compactMap { annotations[prefix + $0].flatMap(parse) }.first ?? []
        let deny = annotations[prefix + denyName].flatMap(parse) ?? []
        return SourceRanges(allow: allow, deny: deny)
    }

    /// Comma-separated IP addresses and CIDR ranges, spaces ignored; nil when any entry
    /// is neither (or there is none).
    public static func parse(_ value: String) -> [String]? {
        let entries = value.split(separator: ",").map { String($0).trimmed(of: " \t") }.filter { !$0.isEmpty }
        guard !entries.isEmpty, entries.allSatisfy(isRange) else { return nil }
        return entries
    }

    private static func isRange(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count <= 2 else { return false }
        let isV4 = IPv4(parts[0]) != nil
        guard isV4 || IPv6(parts[0]) != nil else { return false }
        guard parts.count == 2 else { return true }
        let digits = parts[1]
        guard !digits.isEmpty, digits.count <= 3, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let length = Int(digits)
        else { return false }
        return length <= (isV4 ? 32 : 128)
    }
}

extension String {
    /// The string without the given characters at either end.
    fileprivate func trimmed(of set: String) -> String {
        var text = Substring(self)
        while let first = text.first, set.contains(first) { text = text.dropFirst() }
        while let last = text.last, set.contains(last) { text = text.dropLast() }
        return String(text)
    }
}
