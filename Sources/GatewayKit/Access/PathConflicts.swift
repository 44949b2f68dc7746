/// The paths of a project's routes that its gateway does not serve because another route
/// claimed the same host and path first. ingress-nginx settles such a conflict for the
/// oldest Ingress (`IngressAge`), and the local gateway's plan does the same; so
/// every view says which route serves the path instead of showing a URL that answers for
/// another route.
///
/// Claims compare as nginx locations do: an Exact path is its own location; a Prefix path
/// is its path with one trailing slash (`/a` and `/a/` are one); an
/// ImplementationSpecific path is a prefix location of the path as written. A Prefix path
/// also matches its path without the slash exactly, but only where no route claims that
/// outright, so that part never conflicts. A route without rules, only a default backend,
/// is served only when no route has a host-less `/` and no older route a default backend.
///
/// Only routes the gateway serves take part: those of its IngressClass, and valid. (The
/// local gateway also leaves out routes with an annotation it cannot apply, such as
/// `auth-url`; ingress-nginx on a cluster serves them, so they count here.)
public struct PathConflicts: Hashable, Sendable {
    /// A path of a route: its rule and path index, as `AccessURL` numbers them.
    public struct Place: Hashable, Sendable {
        public var route: String
        public var rule: Int
        public var path: Int

        public init(route: String, rule: Int, path: Int) {
            self.route = route
            self.rule = rule
            self.path = path
        }
    }

    /// The route that serves each place that lost.
    private var winners: [Place: String] = [:]

    public init() {}

    public var isEmpty: Bool { winners.isEmpty }

    /// The route that serves the path at `place` instead, nil when the place's own route does.
    public func winner(of place: Place) -> String? { winners.isEmpty ? nil : winners[place] }

    /// The conflicts among `routes` (one project's, in any order) on a gateway serving
    /// `servedClass` (nil: the chart's default class).
    public static func find(routes: [Route], servedClass: String? = nil) -> PathConflicts {
        Claims(routes: routes, servedClass: servedClass).conflicts()
    }

    /// The text a view shows instead of the URL of a path of `route` that `winner` serves.
    public static func notServedReason(route: String, winner: String) -> String {
        winner == route ? "not served: an earlier path of this route claims it" : "not served: route \(winner) claimed it first"
    }
}

extension PathConflicts {
    /// Every path's claim of a project's routes, as its hash beside the path, sorted: equal
    /// claims are neighbours, and only a claim made more than once (rare) costs an ordering
    /// of its claimants and their validation. No table of claims is made: at 100,000 routes
    /// one added 100 ms and 30 MB to a first frame; the sorted hashes add some 20 ms
    /// (its routes screen stage: 40–53 → 65–69 ms) and nothing to its peak memory.
    /// Kept by the route editor to check the route being typed against the others, its own
    /// paths only.
    public struct Claims: Sendable {
        private let routes: [Route]
        private let servedClass: String
        /// Each claim's hash and claimant, by hash.
        private var hashed: [Hashed] = []
        /// The claims made more than once, with every claimant.
        private var repeated: [Claim: [Claimant]] = [:]

        private struct Hashed {
            var hash: Int
            var claimant: Claimant
        }

        public init(routes: [Route], servedClass: String? = nil) {
            self.routes = routes
            self.servedClass = servedClass ?? IngressClass.chartDefault
            hashed.reserveCapacity(routes.count)
            for (index, route) in routes.enumerated() {
                Claims.forEachClaim(of: route, index: index) { claim, claimant in
                    hashed.append(Hashed(hash: claim.hashValue, claimant: claimant))
                }
            }
            hashed.sort { $0.hash < $1.hash }
            var start = 0
            while start < hashed.count {
                var end = start + 1
                while end < hashed.count, hashed[end].hash == hashed[start].hash { end += 1 }
                if end - start > 1 {
                    // Told apart by the claims themselves: two claims may share a hash.
                    var run: [Claim: [Claimant]] = [:]
                    for entry in hashed[start..<end] { run[claim(of: entry.claimant), default: []].append(entry.claimant) }
                    for (claim, claimants) in run where claimants.count > 1 { repeated[claim] = claimants }
                }
                start = end
            }
        }

        /// The claim `claimant` made, made again from its route.
        private func claim(of claimant: Claimant) -> Claim {
            switch claimant.kind {
            case .defaultBackend, .root: return .defaultBackend
            case .path:
                let rule = routes[claimant.route].rules[Int(claimant.rule)]
                return Claim(host: rule.host, path: rule.paths[Int(claimant.path)]) ?? .defaultBackend
            }
        }

        /// The conflicts among the routes.
        func conflicts() -> PathConflicts {
            var conflicts = PathConflicts()
            var served: [Int: Bool] = [:]
            for (claim, claimants) in repeated {
                let ordered = claimants.filter { index in
                    if let known = served[index.route] { return known }
                    let answer = isServed(routes[index.route])
                    served[index.route] = answer
                    return answer
                }.sorted { precedes($0, routes[$0.route], $1, routes[$1.route]) }
                guard let winner = ordered.first else { continue }
                for loser in ordered.dropFirst() where Claims.canLose(claim, routes[loser.route]) {
                    conflicts.winners[loser.place(of: routes[loser.route])] = routes[winner.route].name
                }
            }
            return conflicts
        }

        /// The paths of `route` that the routes claimed first, `route` taking the place of
        /// the route of its name (the one being edited), and those it repeats itself.
        public func conflicts(of route: Route) -> PathConflicts {
            var conflicts = PathConflicts()
            guard isServed(route) else { return conflicts }
            var own: [Claim: Claimant] = [:]
            Claims.forEachClaim(of: route, index: -1) { claim, claimant in
                guard Claims.canLose(claim, route) else { return }
                var winner: (claimant: Claimant, route: Route)? = own[claim].map { ($0, route) }
                if own[claim] == nil { own[claim] = claimant }
                for other in claimants(of: claim) where routes[other.route].name != route.name && isServed(routes[other.route]) {
                    let candidate = routes[other.route]
                    if winner.map({ precedes(other, candidate, $0.claimant, $0.route) }) ?? true { winner = (other, candidate) }
                }
                if let winner, precedes(winner.claimant, winner.route, claimant, route) {
                    conflicts.winners[claimant.place(of: route)] = winner.route.name
                }
            }
            return conflicts
        }

        /// The routes' claimants of `claim`, found by its hash.
        private func claimants(of claim: Claim) -> [Claimant] {
            let hash = claim.hashValue
            var low = 0
            var high = hashed.count
            while low < high {
                let middle = (low + high) / 2
                if hashed[middle].hash < hash { low = middle + 1 } else { high = middle }
            }
            var found: [Claimant] = []
            while low < hashed.count, hashed[low].hash == hash {
                if self.claim(of: hashed[low].claimant) == claim { found.append(hashed[low].claimant) }
                low += 1
            }
            return found
        }

        private func isServed(_ route: Route) -> Bool {
            IngressClass.notServedReason(route, servedClass: servedClass) == nil && Validate.route(route).isEmpty
        }

        /// Whether claimant `a` (of route `routeA`) takes the place before `b`: a host-less
        /// `/` takes the default backend's place whatever its age, else the older route,
        /// and within a route the earlier path.
        private func precedes(_ a: Claimant, _ routeA: Route, _ b: Claimant, _ routeB: Route) -> Bool {
            if (a.kind == .root) != (b.kind == .root) { return a.kind == .root }
            if a.route == b.route && routeA.name == routeB.name { return (a.rule, a.path) < (b.rule, b.path) }
            return IngressAge(routeA) < IngressAge(routeB)
        }

        /// A route loses the default backend's place only when it has no rules: a host-less
        /// `/` is served whatever default backend is older.
        private static func canLose(_ claim: Claim, _ route: Route) -> Bool {
            claim.kind != .defaultBackend || route.rules.isEmpty
        }

        private static func forEachClaim(of route: Route, index: Int, _ body: (Claim, Claimant) -> Void) {
            if route.defaultBackend != nil { body(.defaultBackend, Claimant(route: index, rule: 0, path: 0, kind: .defaultBackend)) }
            for (ruleIndex, rule) in route.rules.enumerated() {
                for (pathIndex, path) in rule.paths.enumerated() {
                    guard let claim = Claim(host: rule.host, path: path) else { continue }
                    let (r, p) = (Int32(truncatingIfNeeded: ruleIndex), Int32(truncatingIfNeeded: pathIndex))
                    body(claim, Claimant(route: index, rule: r, path: p, kind: .path))
                    if claim == .hostlessRoot { body(.defaultBackend, Claimant(route: index, rule: r, path: p, kind: .root)) }
                }
            }
        }
    }

    /// A claim of the route at `route` in the routes (or -1, the route being checked).
    struct Claimant {
        enum Kind: UInt8 {
            case path
            /// The route's default backend.
            case defaultBackend
            /// A host-less `/`, which takes the default backend's place.
            case root
        }

        var route: Int
        var rule: Int32
        var path: Int32
        var kind: Kind

        func place(of route: Route) -> Place { Place(route: route.name, rule: Int(rule), path: Int(path)) }
    }

    /// One nginx location on one host. A prefix location's text is held without its last
    /// slash, which the kind says (`/a/` is `/a` and `.prefixWithSlash`), so that a Prefix
    /// path's location is compared with no string made for it.
    struct Claim: Hashable {
        enum Kind: UInt8 { case exact, prefix, prefixWithSlash, defaultBackend }
        var host: String
        var location: Substring
        var kind: Kind

        init(host: String, location: Substring, kind: Kind) {
            self.host = host
            self.location = location
            self.kind = kind
        }

        static let hostlessRoot = Claim(host: "", location: "", kind: .prefixWithSlash)
        static let defaultBackend = Claim(host: "", location: "", kind: .defaultBackend)

        /// The location `path` claims outright; nil for a path with no type (invalid).
        init?(host: String, path: RoutePath) {
            guard let type = path.pathType else { return nil }
            self.host = host
            let slash = UInt8(ascii: "/")
            switch type {
            case .exact:
                (location, kind) = (Substring(path.path), .exact)
            case .implementationSpecific:
                let text = Substring(path.path.isEmpty ? "/" : path.path)
                (location, kind) = text.utf8.last == slash ? (text.dropLast(), .prefixWithSlash) : (text, .prefix)
            case .prefix:
                // `/a` and `/a/` are the location `/a/`; `/` is `/`.
                var trimmed = Substring(path.path)
                while trimmed.utf8.last == slash { trimmed = trimmed.dropLast() }
                (location, kind) = (trimmed, .prefixWithSlash)
            }
        }
    }
}
