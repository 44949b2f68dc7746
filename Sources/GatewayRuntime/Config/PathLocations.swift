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
    static func claims(path: String, type: PathType) -> Claims {
        switch type {
        case .exact:
            return Claims(Claim(match: .exact(path), isExplicit: true))
        case .implementationSpecific:
            return Claims(Claim(match: .prefix(path.isEmpty ? "/" : path), isExplicit: true))
        case .prefix:
            // Trailing slashes are trimmed byte by byte (a slash is one byte and a scalar
            // of its own): counting characters was a third of the claims' instructions.
            let bytes = path.utf8
            var end = bytes.endIndex
            while bytes.distance(from: bytes.startIndex, to: end) > 1, bytes[bytes.index(before: end)] == UInt8(ascii: "/") {
                end = bytes.index(before: end)
            }
            let trimmed = path[..<end]
            if trimmed == "/" { return Claims(Claim(match: .prefix("/"), isExplicit: true)) }
            return Claims(
                Claim(match: .prefix(withSlash(trimmed)), isExplicit: true),
                Claim(match: .exact(String(trimmed)), isExplicit: false))
        }
    }

    /// `path` and a slash, written into the string's storage (`+` took some 300
    /// instructions for it).
    private static func withSlash(_ path: Substring) -> String {
        String(unsafeUninitializedCapacity: path.utf8.count + 1) { buffer in
            let count = path.utf8.withContiguousStorageIfAvailable { buffer.initialize(fromContentsOf: $0) }
                ?? buffer.initialize(fromContentsOf: path.utf8)
            buffer[count] = UInt8(ascii: "/")
            return count + 1
        }
    }

    /// The one or two claims of a path, held inline: a list made for each path, with the
    /// slash appended by `+`, was 5% of nginx.conf's plan at 10,000 routes (callgrind).
    struct Claims: Sequence, IteratorProtocol {
        private var first: Claim?
        private var second: Claim?

        init(_ first: Claim, _ second: Claim? = nil) {
            self.first = first
            self.second = second
        }

        mutating func next() -> Claim? {
            if let claim = first {
                first = nil
                return claim
            }
            defer { second = nil }
            return second
        }
    }

    /// Who claimed a location, named in the note when a later claim loses to it.
    enum Owner {
        /// An Ingress, `namespace/name`: "route " is put in front only for a note (a string
        /// per route made for that was a fortieth of nginx.conf's plan at 10,000 routes).
        case route(String)
        /// Anything else, as its notes name it.
        case named(String)

        var description: String {
            switch self {
            case .route(let origin): "route " + origin
            case .named(let name): name
            }
        }
    }

    /// Locations of one server, first claim wins (routes come oldest first, as
    /// ingress-nginx orders them), except that an explicit claim displaces an implicit one.
    struct Table {
        /// Who claimed the location at the same place in `list`.
        private struct Claimed {
            var isExplicit: Bool
            var owner: Owner
        }

        /// In the order claimed, apart from who claimed them: a server's locations are
        /// taken whole from here (`takeLocations`), not copied one by one out of entries.
        private var list: [NginxLocation] = []
        private var claimed: [Claimed] = []
        /// Positions in `list` by match, once there are more than `searchedUpTo` of them.
        /// Most servers have one to three locations, where a search beats a dictionary
        /// (10,000 small dictionaries were a tenth of the plan).
        private var positions: [NginxLocation.Match: Int]? = nil
        private static let searchedUpTo = 8

        private func position(_ match: NginxLocation.Match) -> Int? {
            if let positions { return positions[match] }
            return list.firstIndex { $0.match == match }
        }

        /// Adds `claim`; returns a note when it loses to an earlier one.
        mutating func add(
            _ claim: Claim, target: NginxLocation.Target, sources: SourceRanges = SourceRanges(), owner: Owner,
            origin: RouteOrigin? = nil
        ) -> String? {
            add(claim, location: NginxLocation(match: claim.match, target: target, sources: sources, origin: origin), owner: owner)
        }

        /// Adds `location` for `claim`; returns a note when it loses to an earlier one.
        /// `location` is moved in, not copied.
        mutating func add(_ claim: Claim, location: consuming NginxLocation, owner: Owner) -> String? {
            if let index = position(claim.match) {
                guard claim.isExplicit, !claimed[index].isExplicit else {
                    if !claim.isExplicit { return nil }
                    return "\(owner.description): \(PathLocations.describe(claim.match)) is already served by \(claimed[index].owner.description)"
                }
                list[index] = location
                claimed[index] = Claimed(isExplicit: true, owner: owner)
                return nil
            }
            // Room for a Prefix path's two locations and one more: growing one at a time
            // reallocated on every claim after the first.
            if list.isEmpty {
                list.reserveCapacity(3)
                claimed.reserveCapacity(3)
            }
            list.append(location)
            claimed.append(Claimed(isExplicit: claim.isExplicit, owner: owner))
            if positions != nil {
                positions?[claim.match] = list.count - 1
            } else if list.count > Table.searchedUpTo {
                positions = Dictionary(uniqueKeysWithValues: list.indices.map { (list[$0].match, $0) })
            }
            return nil
        }

        var hasRoot: Bool { position(.prefix("/")) != nil }

        func location(_ match: NginxLocation.Match) -> NginxLocation? { position(match).map { list[$0] } }

        /// Replaces the target of the location at `match` (kept explicit or not).
        mutating func retarget(_ match: NginxLocation.Match, to target: NginxLocation.Target) {
            if let index = position(match) { list[index].target = target }
        }

        /// Sorted by match.
        var locations: [NginxLocation] { Table.sorted(list) }

        /// This table, moved out of where it is kept: an empty one is left there.
        mutating func moveOut() -> Table {
            var moved = Table()
            swap(&moved, &self)
            return moved
        }

        /// The locations sorted by match, taken from the table rather than copied: a
        /// table held alone gives its own list, sorted in place (copying each location
        /// out, and destroying the table's, was a sixth of nginx.conf's plan).
        consuming func takeLocations() -> [NginxLocation] {
            var taken: [NginxLocation] = []
            swap(&taken, &list)
            return Table.sorted(taken)
        }

        /// In place, by insertion, as a server has a handful: in the list's own buffer,
        /// where a swap moves two locations (the list's own `swapAt` copied them).
        private static func sorted(_ locations: consuming [NginxLocation]) -> [NginxLocation] {
            guard locations.count > 1 else { return locations }
            guard locations.count <= 16 else {
                locations.sort { $0.match < $1.match }
                return locations
            }
            locations.withUnsafeMutableBufferPointer { list in
                for i in 1..<list.count {
                    var j = i
                    while j > 0, list[j].match < list[j - 1].match {
                        list.swapAt(j, j - 1)
                        j -= 1
                    }
                }
            }
            return locations
        }
    }

    /// Pins what nginx would otherwise redirect. nginx answers `/p` with a 301 to `/p/`
    /// when a location named `/p/` proxies and no `location = /p` exists; Kubernetes has
    /// no such redirect (Exact `/p/` does not match `/p`). So `/p` gets an exact location
    /// with the target it matches without that location: the longest other prefix.
    /// `locations` must hold the catch-all `location /`, and be sorted by match.
    static func withoutSlashRedirects(_ locations: [NginxLocation]) -> [NginxLocation] {
        // Most servers have no location but `/` that ends in a slash: nothing to pin.
        guard locations.contains(where: { $0.match.path.utf8.count > 1 && $0.match.path.utf8.last == UInt8(ascii: "/") })
        else { return locations }
        // A server has a handful of locations, searched; a set only for one with many.
        let exactPaths = locations.count > 16 ? Set(locations.compactMap { if case .exact(let path) = $0.match { path } else { nil } }) : nil
        func hasExact(_ path: String) -> Bool {
            exactPaths?.contains(path) ?? locations.contains { $0.match == .exact(path) }
        }
        var pinned: [NginxLocation] = []
        for location in locations {
            let path = location.match.path
            guard path.utf8.count > 1, path.utf8.last == UInt8(ascii: "/") else { continue }
            let bare = String(path[..<path.utf8.index(before: path.utf8.endIndex)])
            guard !hasExact(bare), !pinned.contains(where: { $0.match == .exact(bare) }) else { continue }
            var matched: NginxLocation?
            for candidate in locations {
                guard case .prefix(let prefix) = candidate.match, bare.hasPrefix(prefix) else { continue }
                if prefix.utf8.count > (matched?.match.path.utf8.count ?? -1) { matched = candidate }
            }
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
