/// ingress-nginx's order of a project's Ingresses, which settles two claiming one host and
/// path for the first: by `creationTimestamp` (RFC 3339 in UTC, so text order is time
/// order; none comes after every one), then by name. The views (`PathConflicts`) and the
/// local gateway's plan both order by it.
public struct IngressAge: Comparable, Sendable {
    /// `creationTimestamp`, or `~` (after every timestamp) when it has none.
    public var stamp: String
    public var name: String

    public init(_ route: Route) {
        let metadata = route.metadata
        stamp = metadata.creationTimestamp ?? "~"
        name = metadata.name
    }

    public static func < (a: IngressAge, b: IngressAge) -> Bool {
        a.stamp != b.stamp ? a.stamp < b.stamp : a.name < b.name
    }
}
