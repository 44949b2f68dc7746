import GatewayKit

/// The nginx locations of an Ingress path, by pathType, and how paths that land on the
/// same location are settled.
enum PathLocations {
    /// A location one path asks for. An implicit one (the exact twin of a Prefix path)
    /// gives way to an explicit one with the same match.
    struct Claim {
        var match: NginxLocation.Match
        var isExplicit: Bool
    }

    /// - Exact `/p` → `location = /p`.
    /// - Prefix `/p` (or `/p/`) → `location /p/` and `location = /p`: Kubernetes matches
    ///   Prefix paths element by element, so `/p` matches `/p` and `/p/x` but not `/px`,
    ///   and a trailing slash is ignored. Prefix `/` → `location /`.
    /// - ImplementationSpecific `/p` → `location /p`, ingress-nginx's plain prefix (an
    ///   empty path, which Kubernetes allows for this type only, is `/`).
    static func claims(path: String, type: PathType) -> [Claim] {
        switch type {
        case .exact:
            return [Claim(match: .exact(path), isExplicit: true)]
        case .implementationSpecific:
            return [Claim(match: .prefix(path.isEmpty ? "/" : path), isExplicit: true)]
        case .prefix:
            var trimmed = Substring(path)
            while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
            if trimmed == "/" { return [Claim(match: .prefix("/"), isExplicit: true)] }
            return [
                Claim(match: .prefix(trimmed + "/"), isExplicit: true),
                Claim(match: .exact(String(trimmed)), isExplicit: false),
            ]
        }
    }

    /// Locations of one server, first claim wins (routes come oldest first, as
    /// ingress-nginx orders them), except that an explicit claim displaces an implicit one.
    struct Table {
        private var entries: [NginxLocation.Match: (location: NginxLocation, isExplicit: Bool, owner: String)] = [:]

        /// Adds `claim`; returns a note when it loses to an earlier one.
        mutating func add(
            _ claim: Claim, target: NginxLocation.Target, sources: SourceRanges = SourceRanges(), owner: String,
            origin: RouteOrigin? = nil
        ) -> String? {
            add(claim, location: NginxLocation(match: claim.match, target: target, sources: sources, origin: origin), owner: owner)
        }

        /// Adds `location` for `claim`; returns a note when it loses to an earlier one.
        mutating func add(_ claim: Claim, location: NginxLocation, owner: String) -> String? {
            if let existing = entries[claim.match] {
                guard claim.isExplicit, !existing.isExplicit else {
                    if !claim.isExplicit { return nil }
                    return "\(owner): \(PathLocations.describe(claim.match)) is already served by \(existing.owner)"
                }
            }
            entries[claim.match] = (location, claim.isExplicit, owner)
            return nil
        }

        var hasRoot: Bool { entries[.prefix("/")] != nil }

        func location(_ match: NginxLocation.Match) -> NginxLocation? { entries[match]?.location }

        /// Replaces the target of the location at `match` (kept explicit or not).
        mutating func retarget(_ match: NginxLocation.Match, to target: NginxLocation.Target) {
            entries[match]?.location.target = target
        }

        var locations: [NginxLocation] { entries.values.map(\.location).sorted { $0.match < $1.match } }
    }

    /// Pins what nginx would otherwise redirect. nginx answers `/p` with a 301 to `/p/`
    /// when a location named `/p/` proxies and no `location = /p` exists; Kubernetes has
    /// no such redirect (Exact `/p/` does not match `/p`). So `/p` gets an exact location
    /// with the target it matches without that location: the longest other prefix.
    /// `locations` must hold the catch-all `location /`, and be sorted by match.
    static func withoutSlashRedirects(_ locations: [NginxLocation]) -> [NginxLocation] {
        let exactPaths = Set(locations.compactMap { if case .exact(let path) = $0.match { path } else { nil } })
        let prefixes = locations.filter { if case .prefix = $0.match { true } else { false } }
        var pinned: [NginxLocation] = []
        for location in locations {
            let path = location.match.path
            guard path.count > 1, path.hasSuffix("/") else { continue }
            let bare = String(path.dropLast())
            guard !exactPaths.contains(bare), !pinned.contains(where: { $0.match == .exact(bare) }) else { continue }
            let matched = prefixes.filter { bare.hasPrefix($0.match.path) }.max { $0.match.path.count < $1.match.path.count }
            guard let matched else { continue }
            pinned.append(
                NginxLocation(match: .exact(bare), target: matched.target, sources: matched.sources, origin: matched.origin))
        }
        return pinned.isEmpty ? locations : (locations + pinned).sorted { $0.match < $1.match }
    }

    static func describe(_ match: NginxLocation.Match) -> String {
        switch match {
        case .exact(let path): "location = \(path)"
        case .prefix(let path): "location \(path)"
        }
    }
}
