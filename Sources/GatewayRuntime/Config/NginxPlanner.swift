import GatewayKit

extension NginxPlan {
    /// The plan for `projects` (each must have a gateway). Routes that do not validate
    /// are left out with a note, as ingress-nginx ignores an Ingress it rejects; secrets
    /// for which `usableSecret` is false leave their hosts on http only. The demo's
    /// backends that `canAnswerDemoBackend(address, port)` allows are answered by the
    /// gateway itself (see `DemoBackends`).
    ///
    /// Explicit ports in `listen` apply only to a single project: several gateways on one
    /// port could not be told apart.
    public static func make(
        projects: [String], inventory: Inventory, listen: NginxListen = NginxListen(),
        usableSecret: (TLSSecret) -> Bool = { !$0.certificate.isEmpty && !$0.key.isEmpty },
        canAnswerDemoBackend: (String, Int) -> Bool = { _, _ in false }
    ) throws(NginxRefusal) -> NginxPlan {
        guard !projects.isEmpty else { throw NginxRefusal("no project to serve") }
        guard Validate.ipAddress(listen.address).isEmpty else {
            throw NginxRefusal("listen address \(listen.address): must be an IP address, such as 127.0.0.1")
        }
        if projects.count > 1, listen.httpPort != nil || listen.httpsPort != nil {
            throw NginxRefusal("explicit ports serve one project only; leave them out to use each gateway's node ports")
        }
        let usable = Set(
            inventory.secrets.filter(usableSecret).map { SecretReference(namespace: $0.namespace, name: $0.name) })
        var planner = Planner(inventory: inventory, usableSecrets: usable)
        var sites: [NginxSite] = []
        var taken: [Int: String] = [:]
        for project in projects.sorted() {
            let site = try planner.site(project: project, listen: listen)
            for port in [site.httpPort, site.httpsPort] {
                if let other = taken[port] {
                    throw NginxRefusal("project \(project): port \(port) is also the port of project \(other)")
                }
                taken[port] = project
            }
            sites.append(site)
        }
        var plan = NginxPlan(
            listenAddress: listen.address, sites: sites,
            upstreams: planner.upstreams.values.sorted { $0.name < $1.name },
            secrets: planner.secrets.sorted(), notes: planner.notes)
        plan.demoBackends = DemoBackends.answered(
            by: plan, inventory: inventory, projects: projects, canAnswer: canAnswerDemoBackend)
        return plan
    }

    /// The projects of `inventory` whose gateway has both node ports, sorted, and a note
    /// for each one left out that has a gateway or routes.
    public static func servableProjects(_ inventory: Inventory) -> (projects: [String], notes: [String]) {
        var projects: [String] = []
        var notes: [String] = []
        for project in inventory.userProjects.map(\.name) {
            if let gateway = inventory.gateway(project: project) {
                if gateway.httpNodePort != nil, gateway.httpsNodePort != nil {
                    projects.append(project)
                } else {
                    notes.append(
                        "project \(project): the gateway has no node ports; serve it alone with "
                            + "--project \(project) --http-port N --https-port M")
                }
            } else if !inventory.routes(project: project).isEmpty {
                notes.append("project \(project): no gateway set, its routes are not served")
            }
        }
        return (projects, notes)
    }
}

/// Builds one plan; `NginxPlanHosts.swift` holds what it gathers per host,
/// `HTTPRoutePlanning.swift` adds the project's HTTPRoutes, `NginxServerPlanning.swift`
/// turns each host's table into its server, and `NginxNoteText.swift` writes notes' text.
struct Planner {
    /// A route's place in the plan's order (`IngressAge`). A struct, not a tuple: an array
    /// of tuples is copied and destroyed through generic value witnesses.
    struct RouteOrder: Comparable {
        var age: IngressAge
        /// In the inventory's routes.
        var index: Int

        static func < (a: RouteOrder, b: RouteOrder) -> Bool { a.age < b.age }
        static func == (a: RouteOrder, b: RouteOrder) -> Bool { a.age == b.age }
    }

    let inventory: Inventory
    let usableSecrets: Set<SecretReference>
    let backends: BackendResolver
    let knownSecrets: Set<SecretReference>

    init(inventory: Inventory, usableSecrets: Set<SecretReference>) {
        self.inventory = inventory
        self.usableSecrets = usableSecrets
        backends = BackendResolver(inventory: inventory)
        knownSecrets = Set(inventory.secrets.map { SecretReference(namespace: $0.namespace, name: $0.name) })
    }

    var upstreams: [String: NginxUpstream] = [:]
    var secrets: Set<SecretReference> = []
    var notes: [String] = []
    /// The reasons of the 503 notes made so far for the site being planned, by route name
    /// ("" for the default backend), for the notes made after the routes' paths (default
    /// backends): each note is made once however many paths lead to it, and its text only
    /// then (a note written and hashed per path was a tenth of nginx.conf for 10,000 routes).
    private var unavailableNoted: [String: [String]] = [:]
    /// Each backend of the site being planned resolved once: many paths share a Service.
    private var resolved: [RouteBackend: BackendResolver.Outcome] = [:]

    mutating func site(project: String, listen: NginxListen) throws(NginxRefusal) -> NginxSite {
        guard let gateway = inventory.gateway(project: project) else {
            throw NginxRefusal(
                "project \(project) has no gateway: set one first (kgate gateway set \(project) --type NodePort)")
        }
        let httpPort = try port(listen.httpPort ?? gateway.httpNodePort, name: "http", project: project)
        let httpsPort = try port(listen.httpsPort ?? gateway.httpsNodePort, name: "https", project: project)
        guard httpPort != httpsPort else { throw NginxRefusal("project \(project): http and https need two ports") }
        let servedClass = IngressClass.served(by: gateway)
        // Notes name the project's routes, and backends their Services, by name alone from here on.
        unavailableNoted = [:]
        resolved = [:]
        // Routes are kept as indices in `all`, oldest first: the sort moves small entries,
        // and the passes below read each route where it is.
        let all = inventory.routes
        var order = all.indices.filter { all[$0].namespace == project }
            .map { RouteOrder(age: IngressAge(all[$0]), index: $0) }
        order.sort()
        // Validating is a pure function of the route, and a fifth of the plan: done on every
        // core, and not at all when the inventory's routes passed it already (a workspace's).
        let sorted = order.map(\.index)
        let problems: [FieldError?]? =
            inventory.routesPassedValidation
            ? nil
            : Chunks.map(count: sorted.count) { range in range.map { Validate.route(all[sorted[$0]]).first } }.flatMap { $0 }
        var served: [Int] = []
        served.reserveCapacity(sorted.count)
        for (position, index) in sorted.enumerated()
        where isServed(all[index], problem: problems?[position], project: project, servedClass: servedClass) {
            served.append(index)
        }
        // Everything the plan needs of a host, gathered in one pass over the routes.
        var hosts = HostTable(capacity: served.count)
        var firstWithDefaultBackend: Int?
        var noted: [String] = []
        for index in served {
            // One copy of the route (its box, one reference) rather than one per field read.
            let route = all[index]
            let name = route.metadata.name
            let origin = Planner.qualified(project, name)
            let sources = SourceRanges.of(route.metadata.annotations)
            let hasDefaultBackend = route.defaultBackend != nil
            if hasDefaultBackend, firstWithDefaultBackend == nil { firstWithDefaultBackend = index }
            // The reasons of the route's 503 notes: its paths come one after another, so
            // they are kept here, and for later only when its default backend may add one.
            // One list for every route, emptied for each: a list made per route was a
            // fortieth of the plan.
            noted.removeAll(keepingCapacity: true)
            for rule in route.rules {
                // A host without paths still has its server (ingress-nginx): its requests
                // go to the Ingress's default backend or get 404, never another host's.
                // Changed in place: one lookup per rule rather than one per claim.
                let slot = hosts.slot(rule.host)
                addPaths(
                    of: rule, to: &hosts.entries[slot], route: index, origin: origin, project: project,
                    hasDefaultBackend: hasDefaultBackend, sources: sources, noted: &noted)
            }
            if hasDefaultBackend, !noted.isEmpty { unavailableNoted[name] = noted }
            for tls in route.tls {
                for host in tls.hosts {
                    let hasSecret = route.tlsSecret(host: host)?.isEmpty == false
                    let slot = hosts.slot(host)
                    Planner.listTLS(route: index, hasSecret: hasSecret, in: &hosts.entries[slot])
                }
            }
        }
        var defaults = hosts.existingSlot("").map { hosts.takeEntry($0).table } ?? PathLocations.Table()
        if !defaults.hasRoot, let index = firstWithDefaultBackend, let backend = all[index].defaultBackend {
            claimRoot(of: &defaults, for: backend, of: all[index], project: project, notedAs: nil)
        }
        let httpRoutes = httpRouteLocations(project: project, httpPort: httpPort, httpsPort: httpsPort)
        for host in httpRoutes.locations.keys where !host.isEmpty {
            let slot = hosts.slot(host)
            hosts.entries[slot].hasServer = true
        }
        // TLS and default backends note and resolve, host by host; then each server, a
        // pure function of its table, is made on every core. Tables are moved all the way,
        // out of `hosts` and into their servers, never copied.
        let pending = Handover<PendingServer>(capacity: hosts.entries.count)
        for slot in hosts.sortedSlots() {
            let host = hosts.names[slot]
            guard !host.isEmpty, hosts.entries[slot].hasServer else { continue }
            var entry = hosts.takeEntry(slot)
            let tls = tls(host: host, entry: entry, of: all, project: project)
            let table = entry.table.moveOut()
            pending.append(
                PendingServer(
                    host: host, table: withIngressDefault(consume table, owner: entry.defaultOwner, of: all, project: project),
                    isTLSListed: tls.isListed, certificate: tls.certificate))
        }
        let (routeLocations, routeCertificates) = (httpRoutes.locations, httpRoutes.certificates)
        let made = Chunks.map(taking: pending) { (next: consuming PendingServer) in
            let table = next.table.moveOut()
            // Most projects have no HTTPRoutes: no host is hashed again to find none.
            let served = Planner.served(consume table, routeLocations.isEmpty ? nil : routeLocations[next.host])
            var server = NginxServer(
                host: next.host, tls: next.certificate ?? (routeCertificates.isEmpty ? nil : routeCertificates[next.host]),
                locations: served.http)
            server.httpsLocations = served.https
            server.isTLSHost = next.isTLSListed
            return (server, served.notes)
        }
        var servers: [NginxServer] = []
        servers.reserveCapacity(made.capacity)
        for index in 0..<made.capacity {
            let (server, serverNotes) = made.take(index)
            if !serverNotes.isEmpty { notes += serverNotes }
            servers.append(consume server)
        }
        // By index: each server is read where it is, not copied whole (a key path's
        // `compactMap(\.tls)` copied every server to read its certificate).
        let defaultCertificate = servers.indices.first { servers[$0].tls != nil }.flatMap { servers[$0].tls }
        for index in servers.indices where servers[index].isTLSHost && servers[index].tls == nil {
            let host = servers[index].host
            notes.append(
                defaultCertificate.map {
                    Planner.joined("host ", host, ": served over https with the default certificate ", $0.namespace, "/", $0.name)
                } ?? Planner.joined(
                    "host ", host, ": no certificate to serve it over https with; ",
                    "http requests are redirected to https, ", "where the handshake is refused"))
        }
        let servedDefaults = withHTTPRoutes(defaults, httpRoutes.locations[""])
        var site = NginxSite(
            project: project, httpPort: httpPort, httpsPort: httpsPort,
            sslRedirect: gateway.config["ssl-redirect"] != "false",
            bodySize: bodySize(gateway.config["proxy-body-size"], project: project),
            servers: servers, defaultLocations: servedDefaults.http,
            defaultCertificate: defaultCertificate)
        site.defaultHTTPSLocations = servedDefaults.https
        return site
    }

    /// Adds the locations of `rule`'s paths (of route `index`, `origin` its `namespace/name`)
    /// to its host's `entry`, noting each 503 reason once per route (`noted`).
    private mutating func addPaths(
        of rule: RouteRule, to entry: inout HostEntry, route index: Int, origin: String, project: String,
        hasDefaultBackend: Bool, sources: SourceRanges, noted: inout [String]
    ) {
        entry.hasServer = true
        if hasDefaultBackend, entry.defaultOwner == nil { entry.defaultOwner = index }
        for path in rule.paths {
            guard let type = path.pathType else { continue }
            let (target, unavailable) = resolve(path.backend, namespace: project)
            if let reason = unavailable, Planner.insert(reason, into: &noted) {
                notes.append(Planner.unavailableNote(route: origin, reason: reason))
            }
            let pathOrigin = RouteOrigin(route: origin, path: path.path.isEmpty ? "/" : path.path)
            for claim in PathLocations.claims(path: path.path, type: type) {
                if let note = entry.table.add(claim, target: target, sources: sources, owner: .route(origin), origin: pathOrigin) {
                    notes.append(note)
                }
            }
        }
    }

    /// Marks a host listed in route `index`'s `spec.tls` (with a secret or not).
    private static func listTLS(route index: Int, hasSecret: Bool, in entry: inout HostEntry) {
        entry.isTLSListed = true
        if hasSecret, entry.tlsSecretOwner == nil { entry.tlsSecretOwner = index }
    }

    /// Whether the gateway serves `route`: of its class, valid, with no annotation it
    /// refuses. A route left out, or served without some annotations, is noted.
    /// `problem`: the route's first validation error.
    private mutating func isServed(_ route: Route, problem: FieldError?, project: String, servedClass: String) -> Bool {
        if let reason = IngressClass.notServedReason(route, servedClass: servedClass) {
            notes.append("route \(project)/\(route.name): \(reason)")
            return false
        }
        if let first = problem {
            notes.append("route \(project)/\(route.name) is not served: \(first)")
            return false
        }
        let annotations = IngressNginxAnnotations.assess(route.metadata.annotations)
        if let refusal = annotations.refusal {
            notes.append("route \(project)/\(route.name) is not served: \(refusal)")
            return false
        }
        if !annotations.notAppliedLocally.isEmpty {
            notes.append(
                "route \(project)/\(route.name): not applied locally: \(annotations.notAppliedLocally.joined(separator: ", "))")
        }
        return true
    }

    private func port(_ value: Int?, name: String, project: String) throws(NginxRefusal) -> Int {
        guard let value else {
            throw NginxRefusal("project \(project): the gateway has no \(name) node port yet; give the port to listen on")
        }
        guard (1...65535).contains(value) else { throw NginxRefusal("project \(project): \(name) port \(value) is not a port") }
        return value
    }

    /// `routeName`: the route whose path it is, nil for the default backend.
    mutating func target(_ backend: RouteBackend, namespace: String, routeName: String?) -> NginxLocation.Target {
        let (target, unavailable) = resolve(backend, namespace: namespace)
        if let reason = unavailable, Planner.insert(reason, into: &unavailableNoted[routeName ?? "", default: []]) {
            notes.append(Planner.unavailableNote(route: routeName.map { Planner.qualified(namespace, $0) }, reason: reason))
        }
        return target
    }

    /// `route <namespace>/<name>: <reason> (503)` for `route` (`namespace/name`), or for
    /// the default backend when nil.
    private static func unavailableNote(route: String?, reason: String) -> String {
        guard let route else { return "default backend: " + reason + " (503)" }
        return joined("route ", route, ": ", reason, " (503)")
    }

    /// Where `backend` sends a request, and why it answers 503 when it does; resolved once
    /// per site.
    private mutating func resolve(_ backend: RouteBackend, namespace: String) -> (NginxLocation.Target, unavailable: String?) {
        let outcome: BackendResolver.Outcome
        if let known = resolved[backend] {
            outcome = known
        } else {
            outcome = backends.resolve(backend, namespace: namespace)
            resolved[backend] = outcome
            if case .upstream(let upstream) = outcome { upstreams[upstream.name] = upstream }
        }
        switch outcome {
        case .upstream(let upstream): return (.upstream(upstream.name), nil)
        case .unavailable(let reason): return (.unavailable, reason)
        }
    }

    /// Adds `reason` to `list` unless it is there; whether it was added.
    private static func insert(_ reason: String, into list: inout [String]) -> Bool {
        guard !list.contains(reason) else { return false }
        list.append(reason)
        return true
    }

    /// ingress-nginx's `proxy-body-size`: a size as nginx reads one (`8m`, `512k`, `0`).
    private mutating func bodySize(_ value: String?, project: String) -> String? {
        guard let value else { return nil }
        let digits = value.last.map { "kKmMgG".contains($0) } == true ? value.dropLast() : Substring(value)
        guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else {
            notes.append("project \(project): proxy-body-size \"\(value.count > 20 ? "…" : value)\" is not a size, ignored")
            return nil
        }
        return value
    }
}
