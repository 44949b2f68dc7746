import Foundation
import GatewayKit
import GatewayRuntime
import TestSupport
import Testing

/// TLS as ingress-nginx serves it, through real nginx and curl: SNI picks a host's
/// certificate, a host without one gets the default (first) certificate, http requests
/// for a TLS host are redirected with 308, and a bad Secret is noted on its route and
/// never makes its host plain http.
@Suite(
    .enabled(if: NginxBinary.locate() != nil, "nginx is not installed"),
    .enabled(if: HTTPSClient.curlPath != nil, "curl is not installed"), .serialized)
struct IngressTLSTests {
    static func secret(_ name: String, hosts: [String]) throws -> TLSSecret {
        try SelfSignedCertificate.secret(TLSSecret(metadata: ObjectMeta(name: name, namespace: "web"), certificate: "", key: ""), hosts: hosts)
    }

    static func route(_ host: String, tls secret: String?) -> Route {
        var route = IngressMatchingTests.route(String(host.prefix { $0 != "." }), rules: [IngressMatchingTests.rule(host, "/", String(host.prefix { $0 != "." }))])
        route.tls = [RouteTLS(hosts: [host], secretName: secret)]
        return route
    }

    @Test func sniDefaultCertificateRedirectsAndBadSecrets() async throws {
        let foo = try Self.secret("foo-tls", hosts: ["foo.bar.com"])
        // A certificate with another pair's key: nginx cannot load it.
        var bad = try Self.secret("bad-tls", hosts: ["bad.example.com"])
        bad.key = try Self.secret("other", hosts: ["x"]).key
        var plain = IngressMatchingTests.route("plain", rules: [IngressMatchingTests.rule("plain.example.com", "/", "plain")])
        plain.metadata.creationTimestamp = "2024-01-01T00:00:00Z"
        let inventory = Inventory(
            projects: [Project(name: "web")], secrets: [foo, bad],
            routes: [Self.route("foo.bar.com", tls: "foo-tls"), Self.route("nocert.example.com", tls: nil), Self.route("bad.example.com", tls: "bad-tls"), plain],
            gateways: [IngressMatchingTests.gateway])
        try await LiveGateway.serving(project: "web", inventory: inventory, services: ["foo", "nocert", "bad", "plain"]) { gateway in
            let https = gateway.httpsPort
            let secure = try HTTPSClient.get(port: https, host: "foo.bar.com", path: "/")
            #expect(secure.status == 200 && secure.body.hasPrefix("backend=foo "), "\(secure)")
            #expect(secure.subject == "CN=foo.bar.com")
            for host in ["nocert.example.com", "bad.example.com"] {
                let fallback = try HTTPSClient.get(port: https, host: host, path: "/")
                #expect(fallback.status == 200 && fallback.body.hasPrefix("backend=\(host.prefix { $0 != "." }) "), "\(fallback)")
                #expect(fallback.subject == "CN=foo.bar.com", "\(host)")
            }
            for host in ["foo.bar.com", "nocert.example.com", "bad.example.com"] {
                let redirect = try LoopbackHTTP.get(port: gateway.httpPort, host: host, path: "/a/b?c=1")
                #expect(redirect.status == 308, "\(host)")
                #expect(redirect.headers.contains("Location: https://\(host):\(https)/a/b?c=1"), "\(redirect.headers)")
            }
            #expect(try gateway.served(host: "plain.example.com", path: "/") == "plain")
            #expect(gateway.plan.notes.contains("route web/bad: host bad.example.com: TLS secret web/bad-tls is not a valid kubernetes.io/tls certificate and key"))
        }
    }

    /// With no certificate at all, no host is on the https port but its default server, which
    /// refuses every handshake: one TLS context, however many hosts (nginx makes one per
    /// server on the port, the most of a reload's time).
    @Test func withoutAnyCertificateATLSHostIsNotServedOverHTTP() async throws {
        var bad = try Self.secret("bad-tls", hosts: ["bad.example.com"])
        bad.certificate = Data("-----BEGIN CERTIFICATE-----\nnot one\n-----END CERTIFICATE-----\n".utf8).base64EncodedString()
        let plain = IngressMatchingTests.route("plain", rules: [IngressMatchingTests.rule("plain.example.com", "/", "plain")])
        let inventory = Inventory(
            projects: [Project(name: "web")], secrets: [bad], routes: [Self.route("bad.example.com", tls: "bad-tls"), plain],
            gateways: [IngressMatchingTests.gateway])
        try await LiveGateway.serving(project: "web", inventory: inventory, services: ["bad", "plain"]) { gateway in
            #expect(try LoopbackHTTP.get(port: gateway.httpPort, host: "bad.example.com", path: "/").status == 308)
            #expect(try gateway.served(host: "plain.example.com", path: "/") == "plain")
            for host in ["bad.example.com", "plain.example.com", "unknown.example.com"] {
                let refused = try HTTPSClient.get(port: gateway.httpsPort, host: host, path: "/")
                #expect(refused.status == nil, "\(host): \(refused)")
            }
            #expect(gateway.plan.notes.contains { $0.hasPrefix("host bad.example.com: no certificate to serve it over https with") })
            let config = try String(contentsOfFile: gateway.runtimeFolder + "/nginx.conf", encoding: .utf8)
            #expect(config.components(separatedBy: " ssl default_server;").count == 2)
            #expect(config.components(separatedBy: " ssl;").count == 1)
            #expect(config.components(separatedBy: "ssl_reject_handshake on;").count == 2)
        }
    }
}
