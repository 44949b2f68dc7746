import GatewayKit

/// From a host's table of locations to its server: its TLS certificate, its Ingress's
/// default backend, the catch-all 404, and the HTTPRoutes' locations on each scheme.
extension Planner {
    /// `served`, its notes taken into the plan's.
    mutating func withHTTPRoutes(
        _ table: PathLocations.Table, _ routes: [RequestScheme: HTTPRouteLocations]?
    ) -> (http: [NginxLocation], https: [NginxLocation]?) {
        let served = Planner.served(table, routes)
        notes += served.notes
        return (served.http, served.https)
    }

    /// A server's locations with the HTTPRoutes' for each scheme: one list when both
    /// schemes get the same (always so without HTTPRoutes), else the https port's apart;
    /// and the notes of the HTTPRoutes' claims that lost.
    /// `table` is taken: a table held alone gives its locations without a copy.
    static func served(
        _ table: consuming PathLocations.Table, _ routes: [RequestScheme: HTTPRouteLocations]?
    ) -> (http: [NginxLocation], https: [NginxLocation]?, notes: [String]) {
        guard let routes else { return (PathLocations.withoutSlashRedirects(Planner.withCatchAll(table)), nil, []) }
        var http = copy table
        var https = table
        let notes = (routes[.http]?.merge(into: &http) ?? []) + (routes[.https]?.merge(into: &https) ?? [])
        let httpLocations = PathLocations.withoutSlashRedirects(Planner.withCatchAll(http))
        let httpsLocations = PathLocations.withoutSlashRedirects(Planner.withCatchAll(https))
        return (httpLocations, httpsLocations == httpLocations ? nil : httpsLocations, notes)
    }

    /// Whether a route's `spec.tls` lists `host`, and the certificate of the first entry,
    /// oldest route first, that lists it with a secret: nil when there is none or it is
    /// missing or not a certificate and key nginx can load (noted on the route).
    mutating func tls(
        host: String, entry: HostEntry, of routes: [Route], project: String
    ) -> (isListed: Bool, certificate: SecretReference?) {
        guard entry.isTLSListed else { return (false, nil) }
        guard let index = entry.tlsSecretOwner, let name = routes[index].tlsSecret(host: host) else { return (true, nil) }
        let reference = SecretReference(namespace: project, name: name)
        func note(_ problem: String) -> String {
            Planner.joined("route ", Planner.qualified(project, routes[index].name), ": host ", host, ": TLS secret ", Planner.qualified(project, name), problem)
        }
        guard knownSecrets.contains(reference) else {
            notes.append(note(" not found"))
            return (true, nil)
        }
        guard usableSecrets.contains(reference) else {
            notes.append(note(" is not a valid kubernetes.io/tls certificate and key"))
            return (true, nil)
        }
        secrets.insert(reference)
        return (true, reference)
    }

    /// A host's locations where no path of its rules matches: the `defaultBackend` of the
    /// oldest route with a rule for the host and a default backend (ingress-nginx gives a
    /// host the default backend of its Ingress), else 404. `owner`: that route's index in
    /// `routes`.
    mutating func withIngressDefault(
        _ table: consuming PathLocations.Table, owner index: Int?, of routes: [Route], project: String
    ) -> PathLocations.Table {
        guard !table.hasRoot, let index, let backend = routes[index].defaultBackend else { return table }
        claimRoot(of: &table, for: backend, of: routes[index], project: project, notedAs: routes[index].name)
        return table
    }

    /// Claims `/` in `table` for `route`'s default `backend`; a 503 is noted on the route
    /// named `routeName`, on the site's default backend when nil.
    mutating func claimRoot(
        of table: inout PathLocations.Table, for backend: RouteBackend, of route: Route, project: String, notedAs routeName: String?
    ) {
        let qualified = Planner.qualified(project, route.name)
        _ = table.add(
            PathLocations.Claim(match: .prefix("/"), isExplicit: true),
            target: target(backend, namespace: project, routeName: routeName),
            sources: SourceRanges.of(route.metadata.annotations), owner: .route(qualified),
            origin: RouteOrigin(route: qualified, path: "/"))
    }

    /// Every server answers 404 where no path matches, rather than nginx's static files.
    private static func withCatchAll(_ table: consuming PathLocations.Table) -> [NginxLocation] {
        let hasRoot = table.hasRoot
        var locations = table.takeLocations()
        if !hasRoot {
            let catchAll = NginxLocation(match: .prefix("/"), target: .notFound)
            locations.insert(catchAll, at: locations.firstIndex { catchAll.match < $0.match } ?? locations.endIndex)
        }
        return locations
    }
}
