import GatewayKit

/// A project's routes, sorted by name, with their lower-case search keys packed in one
/// byte buffer. Built once per load; a filter keystroke is then a byte scan, so typing
/// stays fast at 100,000 routes.
struct RouteIndex: Sendable {
    let routes: [Route]
    /// Every route's key (`name alias host… path… service…`, lower case), back to back.
    private let keyBytes: [UInt8]
    /// Where each route's key ends in `keyBytes`; it starts where the previous one ends.
    private let keyEnds: [Int]

    init(routes: [Route]) { self.init(routes: routes, reusing: nil) }

    /// The index of `routes` (sorted by name), taking the keys of routes unchanged since
    /// `previous` from it: after a load that changed a few routes, only theirs are made.
    init(routes: [Route], reusing previous: RouteIndex?) {
        self.routes = routes
        guard let previous else {
            (keyBytes, keyEnds) = RouteIndex.keys(of: routes)
            return
        }
        var bytes: [UInt8] = []
        var ends: [Int] = []
        bytes.reserveCapacity(previous.keyBytes.count + 64)
        ends.reserveCapacity(routes.count)
        let old = previous.routes
        var cursor = 0
        for route in routes {
            while cursor < old.count, old[cursor].name < route.name { cursor += 1 }
            if cursor < old.count, old[cursor] == route {
                let start = cursor == 0 ? 0 : previous.keyEnds[cursor - 1]
                bytes.append(contentsOf: previous.keyBytes[start..<previous.keyEnds[cursor]])
            } else {
                RouteIndex.appendKey(of: route, to: &bytes)
            }
            ends.append(bytes.count)
        }
        keyBytes = bytes
        keyEnds = ends
    }

    /// Every route's key, and where each ends: made on every core, a run of routes each,
    /// then joined (one after another, they were three quarters of opening the routes of
    /// 100,000).
    private static func keys(of routes: [Route]) -> (bytes: [UInt8], ends: [Int]) {
        let run = 4096
        let runs = Array(stride(from: 0, to: routes.count, by: run)).parallelMap(chunk: 1) { start in
            let end = min(start + run, routes.count)
            var bytes: [UInt8] = []
            var ends: [Int] = []
            bytes.reserveCapacity((end - start) * 48)
            ends.reserveCapacity(end - start)
            for route in routes[start..<end] {
                appendKey(of: route, to: &bytes)
                ends.append(bytes.count)
            }
            return (bytes: bytes, ends: ends)
        }
        guard runs.count > 1 else { return runs.first ?? ([], []) }
        var bytes: [UInt8] = []
        var ends: [Int] = []
        bytes.reserveCapacity(runs.reduce(0) { $0 + $1.bytes.count })
        ends.reserveCapacity(routes.count)
        for run in runs {
            let offset = bytes.count
            bytes.append(contentsOf: run.bytes)
            ends.append(contentsOf: run.ends.lazy.map { $0 + offset })
        }
        return (bytes, ends)
    }

    /// What a filter searches in `route`, lower case, appended to `bytes`. Fields are
    /// separated by a byte no query contains, so no match spans two fields.
    private static func appendKey(of route: Route, to bytes: inout [UInt8]) {
        appendLowercased(route.name, to: &bytes)
        bytes.append(0)
        if let alias = route.alias { appendLowercased(alias, to: &bytes) }
        for rule in route.rules {
            bytes.append(0)
            appendLowercased(rule.host, to: &bytes)
            for path in rule.paths {
                bytes.append(0)
                appendLowercased(path.path, to: &bytes)
                bytes.append(0)
                appendLowercased(path.backend.service, to: &bytes)
            }
        }
    }

    /// `text.lowercased()` as UTF-8; ASCII (names, hosts, paths) byte by byte.
    private static func appendLowercased(_ text: String, to bytes: inout [UInt8]) {
        // Already lower-case ASCII, as names, hosts and paths nearly always are: copied
        // whole (byte by byte was two thirds of opening the routes of 100,000).
        let copied = text.utf8.withContiguousStorageIfAvailable { utf8 -> Bool in
            guard !utf8.contains(where: { $0 >= 0x80 || ($0 >= 0x41 && $0 <= 0x5A) }) else { return false }
            bytes.append(contentsOf: utf8)
            return true
        }
        guard copied != true else { return }
        let utf8 = text.utf8
        if utf8.allSatisfy({ $0 < 0x80 }) {
            for byte in utf8 { bytes.append(byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte) }
        } else {
            bytes.append(contentsOf: text.lowercased().utf8)
        }
    }

    var count: Int { routes.count }

    /// The indices among `candidates` (ascending) whose key contains `query`, ascending.
    func matches(_ query: String, among candidates: [Int]?) -> [Int] {
        let needle = Array(query.lowercased().utf8)
        guard !needle.isEmpty else { return candidates ?? Array(routes.indices) }
        return keyBytes.withUnsafeBufferPointer { buffer in
            var found: [Int] = []
            func test(_ index: Int) {
                let start = index == 0 ? 0 : keyEnds[index - 1]
                if RouteIndex.contains(buffer, from: start, to: keyEnds[index], needle: needle) { found.append(index) }
            }
            if let candidates {
                for index in candidates { test(index) }
            } else {
                for index in routes.indices { test(index) }
            }
            return found
        }
    }

    private static func contains(_ haystack: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, needle: [UInt8]) -> Bool {
        let first = needle[0]
        let last = end - needle.count
        guard last >= start else { return false }
        var i = start
        while i <= last {
            if haystack[i] == first {
                var j = 1
                while j < needle.count, haystack[i + j] == needle[j] { j += 1 }
                if j == needle.count { return true }
            }
            i += 1
        }
        return false
    }
}

/// A filter as typed so far, with the matches of each shorter query kept: typing narrows
/// the last matches, Backspace goes back to a kept step instead of scanning again.
struct RouteFilter: Sendable {
    private(set) var query = ""
    private(set) var matches: [Int]
    private var steps: [(query: String, matches: [Int])] = []

    init(index: RouteIndex) { matches = Array(index.routes.indices) }

    mutating func set(_ newQuery: String, index: RouteIndex) {
        guard newQuery != query else { return }
        defer { query = newQuery }
        if newQuery.isEmpty {
            steps = []
            matches = Array(index.routes.indices)
            return
        }
        if let kept = steps.lastIndex(where: { $0.query == newQuery }) {
            matches = steps[kept].matches
            steps.removeSubrange((kept + 1)...)
            return
        }
        if let last = steps.last, newQuery.hasPrefix(last.query) {
            matches = index.matches(newQuery, among: last.matches)
        } else {
            steps = []
            matches = index.matches(newQuery, among: nil)
        }
        steps.append((newQuery, matches))
    }
}
