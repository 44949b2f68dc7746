import GatewayKit

/// The locations of a server and what each sends a request to (an upstream, a redirect,
/// a fixed answer, the internal locations of HTTPRoute header cases), as `Printer` writes
/// them.
extension Printer {
    /// How many internal locations `server` writes: what `server(_:in:_:)` adds to
    /// `internalCount`.
    static func internalLocations(of server: NginxServer, in site: NginxSite) -> Int {
        func count(_ list: [NginxLocation]) -> Int {
            list.reduce(0) { $0 + $1.headerCases.count { !isOneReturn($0.target) } }
        }
        guard let httpsLocations = server.httpsLocations, (server.tls ?? site.defaultCertificate) != nil else {
            return count(server.locations)
        }
        return count(server.locations) + count(httpsLocations)
    }

    /// A server's locations, each followed by the internal locations its header cases
    /// jump to.
    mutating func locations(_ list: [NginxLocation]) throws(NginxValueRefused) {
        for location in list {
            let internals = try self.location(location)
            for (name, target) in internals {
                line(2, "location ^~ \(try q(name + "/")) {")
                line(3, "internal;")
                try targetLines(target, strip: name.utf8.count)
                line(2, "}")
            }
        }
    }

    /// Writes `location`; returns the internal locations (name, target) its header cases
    /// jump to, for `locations` to write after it.
    @discardableResult
    mutating func location(_ location: NginxLocation) throws(NginxValueRefused) -> [(String, NginxLocation.Target)] {
        let path = location.match.path
        // Paths come from validated routes and start with '/'; a leading '=', '~', '^~'
        // or '@' would change what nginx's location means, quoted or not.
        guard path.hasPrefix("/") else { throw NginxValueRefused(length: path.count, reason: "is not an absolute path") }
        switch location.match {
        case .exact: try line(2, "location = ", quoting: path, " {")
        case .prefix: try line(2, "location ", quoting: path, " {")
        }
        if let origin = location.origin {
            try line(3, "set $kgate_route ", quoting: origin.route)
            try line(3, "set $kgate_path ", quoting: origin.path)
        }
        // ingress-nginx's order: the denied ranges, then the allowed ones and `deny all`.
        for range in location.sources.deny { line(3, "deny \(try q(range));") }
        for range in location.sources.allow { line(3, "allow \(try q(range));") }
        if !location.sources.allow.isEmpty { line(3, "deny all;") }
        var internals: [(String, NginxLocation.Target)] = []
        for headerCase in location.headerCases {
            // `if` blocks only set a variable, return, or rewrite with `last`: the uses of
            // `if` in a location that nginx documents as safe.
            line(3, "set $kgate_headers \"\";")
            for header in headerCase.headers {
                let variable = "$http_" + String(header.name.lowercased().map { $0 == "-" ? "_" : $0 })
                line(3, "if (\(variable) = \(try q(header.value))) {")
                line(4, "set $kgate_headers \"${kgate_headers}1\";")
                line(3, "}")
            }
            line(3, "if ($kgate_headers = \(try q(String(repeating: "1", count: headerCase.headers.count)))) {")
            // What is one `return` stays in the `if`; the rest (proxying, a redirect that
            // needs a capture: nginx nests no `if`) goes through an internal location.
            if Printer.isOneReturn(headerCase.target) {
                try targetLines(headerCase.target, strip: 0, depth: 4)
            } else {
                internalCount += 1
                let name = "/_kgate-case-\(internalCount)"
                line(4, "rewrite ^ \(try q(name).dropLast())$uri\" last;")
                internals.append((name, headerCase.target))
            }
            line(3, "}")
        }
        try targetLines(location.target, strip: 0)
        line(2, "}")
        return internals
    }

    /// Whether `target` is one `return`, written inside a header case's `if`; the rest
    /// goes through an internal location.
    static func isOneReturn(_ target: NginxLocation.Target) -> Bool {
        switch target {
        case .unavailable, .notFound, .serverError: true
        case .redirect(let redirect): if case .prefix? = redirect.path { false } else { true }
        case .upstream, .proxy: false
        }
    }

    /// The headers every proxied request carries (ingress-nginx's), set at the `http`
    /// level; a location that sets one more repeats them all, as nginx inherits none then.
    static let proxyHeaders: [(name: String, value: String)] = [
        ("Connection", "\"\""), ("Host", "$host"), ("X-Real-IP", "$remote_addr"), ("X-Forwarded-For", "$remote_addr"),
        ("X-Forwarded-Host", "$host"), ("X-Forwarded-Port", "$server_port"), ("X-Forwarded-Proto", "$scheme"),
        ("X-Scheme", "$scheme"),
    ]

    /// What a target does. `strip`: bytes in front of the request's path that are not
    /// its own (an internal location's name).
    mutating func targetLines(_ target: NginxLocation.Target, strip: Int, depth: Int = 3) throws(NginxValueRefused) {
        switch target {
        case .upstream(let name):
            if strip > 0 { line(depth, "rewrite \"(?s)^.{\(strip)}(.*)\" $1 break;") }
            try line(depth, "proxy_pass ", quoting: "http://\(name)")
        case .unavailable: line(depth, "return 503;")
        case .notFound: line(depth, "return 404;")
        case .serverError: line(depth, "return 500;")
        case .proxy(let proxy):
            switch proxy.path {
            case .full(let path)?: line(depth, "rewrite ^ \(try q(path)) break;")
            case .prefix(let count, let replacement)?:
                let head = replacement.isEmpty ? "\"" : String(try q(replacement).dropLast())
                line(depth, "rewrite \"(?s)^.{\(strip + count)}(.*)\" \(head)$1\" break;")
            case nil:
                if strip > 0 { line(depth, "rewrite \"(?s)^.{\(strip)}(.*)\" $1 break;") }
            }
            if proxy.host != nil || !proxy.setHeaders.isEmpty {
                for header in Printer.proxyHeaders {
                    var value = header.value
                    if header.name == "Host", let host = proxy.host { value = try q(host) }
                    line(depth, "proxy_set_header \(header.name) \(value);")
                }
                for header in proxy.setHeaders { line(depth, "proxy_set_header \(try q(header.name)) \(try q(header.value));") }
            }
            line(depth, "proxy_pass \(try q("http://\(proxy.upstream)"));")
        case .redirect(let redirect):
            var base = "\"" + String(try q(redirect.scheme + "://").dropFirst().dropLast())
            if let host = redirect.host {
                base += String(try q(host).dropFirst().dropLast())
            } else {
                base += "$host"
            }
            if let port = redirect.port { base += ":\(port)" }
            switch redirect.path {
            case nil:
                line(depth, "return \(redirect.statusCode) \(base)$request_uri\";")
            case .full(let path)?:
                line(depth, "return \(redirect.statusCode) \(base)\(try q(path).dropFirst().dropLast())$is_args$args\";")
            case .prefix(let count, let replacement)?:
                let tail = replacement.isEmpty ? "" : String(try q(replacement).dropFirst().dropLast())
                line(depth, "if ($uri ~ \"(?s)^.{\(strip + count)}(.*)\") {")
                line(depth + 1, "return \(redirect.statusCode) \(base)\(tail)$1$is_args$args\";")
                line(depth, "}")
                // Unreachable: the location's path holds the matched prefix.
                line(depth, "return 500;")
            }
        }
    }
}
