/// The nginx `server_name` of an Ingress host.
///
/// Kubernetes' `*.foo.com` stands for exactly one DNS label (`bar.foo.com`, not
/// `baz.bar.foo.com`, not `foo.com`), while nginx's own `*.foo.com` matches any number of
/// labels. So a wildcard becomes an anchored regex for one label, as ingress-nginx
/// renders it. nginx tries exact names before regexes, so an exact host beats a wildcard,
/// and it lowercases the Host header and strips its `:port` before matching either.
enum ServerName {
    static func nginx(_ host: String) -> String {
        guard host.hasPrefix("*.") else { return host }
        // `[.]` rather than `\.`, and `\z` rather than `$`: `$` cannot be quoted in
        // nginx.conf (see `NginxToken`). Validated hosts hold only [a-z0-9.-].
        let suffix = host.dropFirst(2).split(separator: ".", omittingEmptySubsequences: false).joined(separator: "[.]")
        return "~^[^.]+[.]\(suffix)\\z"
    }
}
