import Foundation
import GatewayKit
import GatewayRuntime
import TestSupport
import Testing

/// `kgate serve` loads a change through nginx's own reload; a change nginx refuses
/// because of a TLS Secret is tested with `nginx -t` then, the Secret left out as at
/// start, and the rest of the change served.
@Suite(.enabled(if: NginxBinary.locate() != nil, "nginx is not installed"), .serialized)
struct ServeReloadTests {
    static func secret(_ name: String, hosts: [String]) throws -> TLSSecret {
        try SelfSignedCertificate.secret(TLSSecret(metadata: ObjectMeta(name: name, namespace: "demo"), certificate: "", key: ""), hosts: hosts)
    }

    static func route(_ name: String, host: String, tls secret: String? = nil) -> Route {
        var route = Route(
            metadata: ObjectMeta(name: name, namespace: "demo"),
            rules: [RouteRule(host: host, paths: [RoutePath(path: "/", pathType: .prefix, backend: RouteBackend(service: "web", port: 8080))])])
        if let secret { route.tls = [RouteTLS(hosts: [host], secretName: secret)] }
        return route
    }

    @Test func aSecretNginxCannotLoadSavedWhileServingIsLeftOutAndTheRestOfTheChangeServed() throws {
        let setup = try ServeWorkspace("kgate-reload")
        let port = try LoopbackHTTP.freePorts(1)[0]
        let backend = try NamedBackend(name: "web", port: port)
        defer { backend.stop() }
        try setup.apply([ServeWorkspace.slice("demo", "web", port: port)])
        let gateway = try setup.setGateway("demo")
        let serve = try setup.serve(["--project", "demo"])
        defer { serve.stop() }
        try #require(serve.waitForOutput("Ctrl-C stops it", seconds: 30), "\(serve.output)")

        // A certificate with another pair's key: nginx refuses the reload that brings it.
        var bad = try Self.secret("bad-tls", hosts: ["bad.example.com"])
        bad.key = try Self.secret("other", hosts: ["x"]).key
        try setup.apply([
            .secret(bad), .route(Self.route("secured", host: "bad.example.com", tls: "bad-tls")),
            .route(Self.route("plain", host: "plain.example.com")),
        ])
        let deadline = Date().addingTimeInterval(20)
        var plain = try LoopbackHTTP.get(port: gateway.http, host: "plain.example.com", path: "/")
        while plain.status != 200, Date() < deadline {
            usleep(20_000)
            plain = try LoopbackHTTP.get(port: gateway.http, host: "plain.example.com", path: "/")
        }
        #expect(plain.body.hasPrefix("backend=web "), "\(plain)\n\(serve.output)")
        #expect(serve.stderr.contains("TLS secret demo/bad-tls"), "\(serve.output)")
        // The change was loaded: the record names no refusal.
        let record = try String(contentsOfFile: try setup.runtimeFolder("demo") + "/reload.json", encoding: .utf8)
        #expect(!record.contains("error"), "\(record)\n\(serve.output)")
    }
}
