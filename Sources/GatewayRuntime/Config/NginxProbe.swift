/// A config that loads one TLS secret and nothing else: `nginx -t` on it tells whether
/// the certificate and key are usable (PEM that parses, a key that matches), using
/// nginx's own TLS library rather than a second opinion.
extension NginxConfig {
    public static func probe(secret: SecretReference, layout: NginxLayout) throws(NginxRefusal) -> String {
        do {
            let q = { (value: String) throws(NginxValueRefused) -> String in try NginxToken(value).quoted }
            var lines = [
                "daemon off;", "pid \(try q(layout.folder + "/probe.pid"));", "error_log \(try q(layout.errorLog));",
                "events {", "}", "http {", "access_log off;",
            ]
            for name in NginxLayout.tempNames { lines.append("\(name)_temp_path \(try q(layout.temp(name)));") }
            lines += [
                "server {", "listen \"127.0.0.1:9\" ssl;",
                "ssl_certificate \(try q(layout.certificate(secret)));",
                "ssl_certificate_key \(try q(layout.key(secret)));", "}", "}",
            ]
            return lines.joined(separator: "\n") + "\n"
        } catch {
            throw NginxRefusal("cannot write the TLS probe for \(secret): \(error)")
        }
    }
}
