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

private struct Printer {
    let plan: NginxPlan
    let layout: NginxLayout
    var lines: [String] = []

    init(plan: NginxPlan, layout: NginxLayout) {
        self.plan = plan
        self.layout = layout
    }

    func q(_ value: String) throws(NginxValueRefused) -> String { try NginxToken(value).quoted }

    mutating func line(_ depth: Int, _ text: String) {
        lines.append(String(repeating: "    ", count: depth) + text)
    }

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
            for server in upstream.servers { line(2, "server \(try q(server)) max_fails=0;") }
            line(2, "keepalive 32;")
            line(1, "}")
        }
        for site in plan.sites {
            try self.site(site)
            try readiness(site)
        }
        for backend in plan.demoBackends { try demo(backend) }
        line(0, "}")
        return lines.joined(separator: "\n") + "\n"
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
            "proxy_set_header Connection \"\";", "proxy_set_header Host $host;",
            "proxy_set_header X-Real-IP $remote_addr;", "proxy_set_header X-Forwarded-For $remote_addr;",
            "proxy_set_header X-Forwarded-Host $host;", "proxy_set_header X-Forwarded-Port $server_port;",
            "proxy_set_header X-Forwarded-Proto $scheme;", "proxy_set_header X-Scheme $scheme;",
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

    /// The project's access log, and the route variables of a request no location claims.
    mutating func trafficLog(_ site: NginxSite, host: String?) throws(NginxValueRefused) {
        line(2, "access_log \(try q(layout.accessLog(project: site.project))) kgate_traffic;")
        var hostValue = "\"\""
        if let host { hostValue = try q(host) }
        line(2, "set $kgate_host \(hostValue);")
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
        line(2, "listen \(https) ssl default_server;")
        line(2, "server_name \"_\";")
        try trafficLog(site, host: nil)
        try certificate(site.defaultCertificate)
        if let size = site.bodySize { line(2, "client_max_body_size \(try q(size));") }
        for location in site.defaultLocations { try self.location(location) }
        line(1, "}")
        for server in site.servers {
            line(0, "")
            line(1, "server {")
            line(2, "listen \(http);")
            // Every host is on the https port too, as in ingress-nginx; SNI picks the server.
            line(2, "listen \(https) ssl;")
            line(2, "server_name \(try q(ServerName.nginx(server.host)));")
            try trafficLog(site, host: server.host)
            try certificate(server.tls ?? site.defaultCertificate)
            if let size = site.bodySize { line(2, "client_max_body_size \(try q(size));") }
            if server.isTLSHost, site.sslRedirect {
                let port = site.httpsPort == 443 ? "" : ":\(site.httpsPort)"
                line(2, "if ($scheme = http) {")
                line(3, "return 308 https://$host\(port)$request_uri;")
                line(2, "}")
            }
            for location in server.locations { try self.location(location) }
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
        line(2, "ssl_certificate \(try q(layout.certificate(secret)));")
        line(2, "ssl_certificate_key \(try q(layout.key(secret)));")
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

    mutating func location(_ location: NginxLocation) throws(NginxValueRefused) {
        let path = location.match.path
        // Paths come from validated routes and start with '/'; a leading '=', '~', '^~'
        // or '@' would change what nginx's location means, quoted or not.
        guard path.hasPrefix("/") else { throw NginxValueRefused(length: path.count, reason: "is not an absolute path") }
        switch location.match {
        case .exact: line(2, "location = \(try q(path)) {")
        case .prefix: line(2, "location \(try q(path)) {")
        }
        if let origin = location.origin {
            line(3, "set $kgate_route \(try q(origin.route));")
            line(3, "set $kgate_path \(try q(origin.path));")
        }
        // ingress-nginx's order: the denied ranges, then the allowed ones and `deny all`.
        for range in location.sources.deny { line(3, "deny \(try q(range));") }
        for range in location.sources.allow { line(3, "allow \(try q(range));") }
        if !location.sources.allow.isEmpty { line(3, "deny all;") }
        switch location.target {
        case .upstream(let name): line(3, "proxy_pass \(try q("http://\(name)"));")
        case .unavailable: line(3, "return 503;")
        case .notFound: line(3, "return 404;")
        }
        line(2, "}")
    }

    func listenAddress(_ port: Int) -> String {
        let address = plan.listenAddress.contains(":") ? "[\(plan.listenAddress)]" : plan.listenAddress
        return "\(address):\(port)"
    }
}

extension String {
    fileprivate var wrappedInBraces: String { "{" + self + "}" }
}
