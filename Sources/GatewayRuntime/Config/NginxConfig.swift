import GatewayKit

/// The nginx.conf of a local gateway, as ingress-nginx would program it: a pure function
/// of the plan and the layout, the same bytes for the same input.
///
/// Every value from the model or the caller goes through `NginxToken` (one quoting
/// function); the rest of the text is constants of this file. Key material never
/// appears: TLS servers name files the runtime writes.
public enum NginxConfig {
    /// The config for one project's gateway. Refused when the project has no gateway or
    /// the gateway has no ports to listen on.
    public static func render(
        project: String, inventory: Inventory, listen: NginxListen = NginxListen(), layout: NginxLayout
    ) throws(NginxRefusal) -> String {
        try render(NginxPlan.make(projects: [project], inventory: inventory, listen: listen), layout: layout)
    }

    public static func render(_ plan: NginxPlan, layout: NginxLayout) throws(NginxRefusal) -> String {
        do {
            var printer = Printer(plan: plan, layout: layout)
            return try printer.document()
        } catch {
            throw NginxRefusal("cannot write nginx.conf: \(error)")
        }
    }
}

/// Writes nginx.conf from a plan: the document, its sites and servers here; each server's
/// locations and what they send a request to in `NginxLocationPrinting.swift`.
struct Printer {
    let plan: NginxPlan
    let layout: NginxLayout
    /// The file as it is written, UTF-8 in one buffer: a line is appended where it is
    /// made, never kept as a string of its own (nginx.conf for 10,000 routes is ~200,000 lines).
    let out: OutputBytes
    /// The text before `out`: `out` as strings, and the servers printed on other cores.
    var pieces: [String] = []
    /// How many internal locations (HTTPRoute header cases) have been written.
    var internalCount = 0

    init(plan: NginxPlan, layout: NginxLayout, reserving capacity: Int = 64 * 1024) {
        self.plan = plan
        self.layout = layout
        out = OutputBytes(capacity: capacity)
    }

    /// `out` becomes the next piece.
    mutating func flush() {
        guard !out.isEmpty else { return }
        pieces.append(out.text)
        out.removeAll()
    }

    func q(_ value: String) throws(NginxValueRefused) -> String { try NginxToken(value).quoted }

    func line(_ depth: Int, _ text: String) {
        indent(depth)
        append(text)
        out.append(newline)
    }

    /// `text`'s bytes, copied whole: appending the string's UTF-8 view went through the
    /// generic sequence path (with the indent's spaces, a quarter of printing a server).
    func append(_ text: String) { out.append(text) }

    /// `head`, `value` as `NginxToken` quotes it, then `tail`: a line with one value from
    /// the model, written without a string of its own.
    func line(_ depth: Int, _ head: String, quoting value: String, _ tail: String = ";") throws(NginxValueRefused) {
        indent(depth)
        append(head)
        try NginxToken.append(value, to: out)
        append(tail)
        out.append(newline)
    }

    func indent(_ depth: Int) { out.append(repeating: space, count: depth * 4) }

    mutating func document() throws(NginxValueRefused) -> String {
        line(0, "# Written by kgate for its local gateway; rewritten on every change, do not edit.")
        line(0, "daemon off;")
        line(0, "master_process on;")
        line(0, "worker_processes 1;")
        line(0, "pid \(try q(layout.pidFile));")
        line(0, "error_log \(try q(layout.errorLog)) notice;")
        line(0, "")
        line(0, "events {")
        line(1, "worker_connections 1024;")
        line(0, "}")
        line(0, "")
        line(0, "http {")
        try httpSettings()
        for upstream in plan.upstreams {
            line(0, "")
            line(1, "upstream \(try q(upstream.name)) {")
            for (index, server) in upstream.servers.enumerated() {
                let weight = index < upstream.weights.count && upstream.weights[index] != 1 ? " weight=\(upstream.weights[index])" : ""
                line(2, "server \(try q(server))\(weight) max_fails=0;")
            }
            line(2, "keepalive 32;")
            line(1, "}")
        }
        for site in plan.sites {
            try self.site(site)
            try readiness(site)
        }
        for backend in plan.demoBackends { try demo(backend) }
        line(0, "}")
        flush()
        var text = ""
        text.reserveCapacity(pieces.reduce(0) { $0 + $1.utf8.count })
        for piece in pieces { text += piece }
        return text
    }

    /// ingress-nginx's defaults where they matter to a proxy: the headers a backend sees,
    /// keep-alive upstreams, timeouts; plus every path nginx writes, inside the runtime folder.
    mutating func httpSettings() throws(NginxValueRefused) {
        line(1, "access_log \(try q(layout.accessLog));")
        // Each project's servers log here instead, one JSON line per request (`AccessRecord`);
        // `$kgate_*` are set per server and per location, so a request names its route path.
        line(1, "log_format kgate_traffic escape=json '\(Self.trafficFormat)';")
        for name in NginxLayout.tempNames { line(1, "\(name)_temp_path \(try q(layout.temp(name)));") }
        for setting in [
            "server_tokens off;", "server_names_hash_bucket_size 128;", "server_names_hash_max_size 4096;",
            "client_max_body_size 1m;", "proxy_http_version 1.1;", "proxy_connect_timeout 5s;",
            "proxy_send_timeout 60s;", "proxy_read_timeout 60s;", "proxy_next_upstream error timeout;",
        ] + Printer.proxyHeaders.map({ "proxy_set_header \($0.name) \($0.value);" }) + [
            "ssl_protocols TLSv1.2 TLSv1.3;",
        ] {
            line(1, setting)
        }
        // Bodies stream both ways (ingress-nginx's proxy-buffering is off too), so nginx
        // never writes temporary files: its workers, `nobody` when kgate runs as root,
        // could not reach them inside the private runtime folder.
        line(1, "proxy_buffering off;")
        line(1, "proxy_request_buffering off;")
    }

    /// The fields of `kgate_traffic`, every value a JSON string (nginx escapes them).
    static let trafficFormat = [
        ("time", "$msec"), ("route", "$kgate_route"), ("host", "$kgate_host"), ("path", "$kgate_path"),
        ("status", "$status"), ("request_time", "$request_time"), ("upstream_response_time", "$upstream_response_time"),
        ("method", "$request_method"), ("request_host", "$host"), ("uri", "$request_uri"),
    ].map { "\"\($0.0)\":\"\($0.1)\"" }.joined(separator: ",").wrappedInBraces

    /// The lines every server of a site repeats, quoted once per site rather than per host.
    struct SiteLines {
        var listenHTTP: String
        var listenHTTPS: String
        var accessLog: String
        var bodySize: String?
        var sslRedirect: String
    }

    /// The project's access log, and the route variables of a request no location claims.
    mutating func trafficLog(_ lines: SiteLines, host: String?) throws(NginxValueRefused) {
        line(2, lines.accessLog)
        if let host {
            try line(2, "set $kgate_host ", quoting: host)
        } else {
            line(2, "set $kgate_host \"\";")
        }
        line(2, "set $kgate_route \"\";")
        line(2, "set $kgate_path \"\";")
    }

    mutating func site(_ site: NginxSite) throws(NginxValueRefused) {
        let http = try q(listenAddress(site.httpPort))
        let https = try q(listenAddress(site.httpsPort))
        line(0, "")
        line(1, "# project \(try q(site.project))")
        line(1, "server {")
        line(2, "listen \(http) default_server;")
        if site.defaultHTTPSLocations == nil { line(2, "listen \(https) ssl default_server;") }
        line(2, "server_name \"_\";")
        let lines = SiteLines(
            listenHTTP: "listen \(http);", listenHTTPS: "listen \(https) ssl;",
            accessLog: "access_log \(try q(layout.accessLog(project: site.project))) kgate_traffic;",
            bodySize: try site.bodySize.map { size throws(NginxValueRefused) in "client_max_body_size \(try q(size));" },
            sslRedirect: "return 308 https://$host\(site.httpsPort == 443 ? "" : ":\(site.httpsPort)")$request_uri;")
        try trafficLog(lines, host: nil)
        try certificate(site.defaultCertificate)
        if let size = lines.bodySize { line(2, size) }
        try locations(site.defaultLocations)
        line(1, "}")
        if let httpsLocations = site.defaultHTTPSLocations {
            // HTTPRoutes make the https port's default server differ from the http port's.
            line(1, "server {")
            line(2, "listen \(https) ssl default_server;")
            line(2, "server_name \"_\";")
            try certificate(site.defaultCertificate)
            if let size = lines.bodySize { line(2, size) }
            try locations(httpsLocations)
            line(1, "}")
        }
        // Servers are printed a range per core, each into a string of its own (made from
        // UTF-8 there too), joined in order: the same text as printed in one go.
        let servers = site.servers
        // How many internal locations are written before each server: a chunk's count starts there.
        var before = [internalCount]
        before.reserveCapacity(servers.count + 1)
        for server in servers { before.append(before[before.count - 1] + Printer.internalLocations(of: server, in: site)) }
        let (plan, layout, counts) = (plan, layout, before)
        let printed = Chunks.map(count: servers.count) { range -> Result<String, NginxValueRefused> in
            var printer = Printer(plan: plan, layout: layout, reserving: range.count * 1024)
            printer.internalCount = counts[range.lowerBound]
            return Result { () throws(NginxValueRefused) in
                for index in range { try printer.server(servers[index], in: site, lines) }
                return printer.out.text
            }
        }
        flush()
        for chunk in printed { pieces.append(try chunk.get()) }
        internalCount = before[servers.count]
    }

    mutating func server(_ server: NginxServer, in site: NginxSite, _ lines: SiteLines) throws(NginxValueRefused) {
        // Every host with a certificate (its own or the default) is on the https port
        // too, as in ingress-nginx; SNI picks the server. A host with none is left off
        // it: its handshake goes to the port's default server, which has no certificate
        // either and refuses it, as the host's own server would. One TLS context a server
        // made nginx's reload of 1,000 such hosts take 0.20 s rather than 0.08 s.
        let certificate = server.tls ?? site.defaultCertificate
        line(0, "")
        line(1, "server {")
        line(2, lines.listenHTTP)
        // When HTTPRoutes make the https port's locations differ, they get a server of their own.
        if server.httpsLocations == nil, certificate != nil { line(2, lines.listenHTTPS) }
        try line(2, "server_name ", quoting: ServerName.nginx(server.host))
        try trafficLog(lines, host: server.host)
        if let certificate { try self.certificate(certificate) }
        if let size = lines.bodySize { line(2, size) }
        if server.isTLSHost, site.sslRedirect {
            line(2, "if ($scheme = http) {")
            line(3, lines.sslRedirect)
            line(2, "}")
        }
        try locations(server.locations)
        line(1, "}")
        if let httpsLocations = server.httpsLocations, let certificate {
            line(1, "server {")
            line(2, lines.listenHTTPS)
            try line(2, "server_name ", quoting: ServerName.nginx(server.host))
            try self.certificate(certificate)
            if let size = lines.bodySize { line(2, size) }
            try locations(httpsLocations)
            line(1, "}")
        }
    }

    /// The certificate a server presents; with none, the handshake is refused rather
    /// than answered with a stand-in no client would trust.
    mutating func certificate(_ secret: SecretReference?) throws(NginxValueRefused) {
        guard let secret else {
            line(2, "ssl_reject_handshake on;")
            return
        }
        try line(2, "ssl_certificate ", quoting: layout.certificate(secret))
        try line(2, "ssl_certificate_key ", quoting: layout.key(secret))
    }

    /// A server no Ingress host can name, answering nginx's worker pid to this machine
    /// only: kgate's proof that the port it polls is served by the nginx it started.
    mutating func readiness(_ site: NginxSite) throws(NginxValueRefused) {
        line(0, "")
        line(1, "server {")
        line(2, "listen \(try q(listenAddress(site.httpPort)));")
        line(2, "server_name \(try q(NginxPlan.readinessHost));")
        line(2, "access_log off;")
        var allowed = ["127.0.0.1", "::1"]
        if !["0.0.0.0", "::"].contains(plan.listenAddress), !allowed.contains(plan.listenAddress) {
            allowed.append(plan.listenAddress)
        }
        for address in allowed { line(2, "allow \(try q(address));") }
        line(2, "deny all;")
        line(2, "default_type text/plain;")
        line(2, "location / {")
        line(3, "return 200 $pid;")
        line(2, "}")
        line(1, "}")
    }

    /// A demo endpoint answered with a page naming its service and pod.
    mutating func demo(_ backend: NginxDemoBackend) throws(NginxValueRefused) {
        let address = backend.address.contains(":") ? "[\(backend.address)]" : backend.address
        let page = try q(backend.page)
        line(0, "")
        line(1, "# demo backend \(try q("\(backend.namespace)/\(backend.service)")): nothing else listens there")
        line(1, "server {")
        line(2, "listen \(try q("\(address):\(backend.port)"));")
        line(2, "default_type text/plain;")
        line(2, "location / {")
        // The page ends with a line break: nginx turns the two characters `\n` inside a
        // quoted string into one, and a line break itself is refused by `NginxToken`.
        line(3, "return 200 \(page.dropLast())\\n\";")
        line(2, "}")
        line(1, "}")
    }

    func listenAddress(_ port: Int) -> String {
        let address = plan.listenAddress.contains(":") ? "[\(plan.listenAddress)]" : plan.listenAddress
        return "\(address):\(port)"
    }
}

extension String {
    fileprivate var wrappedInBraces: String { "{" + self + "}" }
}

private let newline = UInt8(ascii: "\n")
private let space = UInt8(ascii: " ")
