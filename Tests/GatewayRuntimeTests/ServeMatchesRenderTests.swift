import Foundation
import GatewayKit
import GatewayRuntime
import TestSupport
import Testing

/// What `serve` runs is what `render --format nginx` prints, nginx accepts it, the demo's
/// backends answer, and a route that restricts access is never served open.
@Suite(.enabled(if: NginxBinary.locate() != nil, "nginx is not installed"), .serialized)
struct ServeMatchesRenderTests {
    @Test(.enabled(if: TestCertificates.opensslPath != nil, "openssl is not installed"))
    func renderPrintsTheConfigServeRunsAndNginxAcceptsIt() throws {
        let setup = try ServeWorkspace("kgate-render")
        let pair = try TestCertificates.make(host: "shop.example.com")
        let demoPort = try LoopbackHTTP.freePorts(1)[0]
        try setup.apply([
            .secret(TLSSecret(metadata: ObjectMeta(name: "shop-tls", namespace: "shop"), certificate: pair.certificate, key: pair.key)),
            ServeWorkspace.slice("shop", "frontend", port: demoPort, demoPod: "frontend-demo-pod"),
        ])
        let ports = try setup.setGateway("shop")
        try setup.apply([
            .route(route("rewritten", project: "shop", host: "rewritten.example.com", service: "frontend", port: 80, annotations: [
                "nginx.ingress.kubernetes.io/rewrite-target": "/"
            ]))
        ])
        // Rendered before serve starts: once it runs, the demo port is nginx's, and a
        // second serve would no longer answer there.
        let render = try setup.run(["render", "shop", "--format", "nginx"])
        #expect(render.status == 0, "\(render)")
        let serve = try setup.serve(["--project", "shop"])
        defer { serve.stop() }
        try #require(serve.waitForOutput("Ctrl-C stops it", seconds: 30), "\(serve.output)")
        let folder = try setup.runtimeFolder("shop")
        let live = try String(contentsOfFile: "\(folder)/nginx.conf", encoding: .utf8)
        #expect(live.contains("ssl_certificate_key"))
        #expect(live.contains("listen \"127.0.0.1:\(demoPort)\";"))

        #expect(render.stdout == live)
        // The same warnings: each note render gives, serve gave.
        let notes = render.stderr.split(separator: "\n").map { $0.replacingOccurrences(of: "kgate render: ", with: "") }
        #expect(!notes.isEmpty)
        for note in notes { #expect(serve.stderr.contains("kgate serve: \(note)"), "\(note)\n\(serve.output)") }

        let copy = try TemporaryFolder("kgate-rendered")
        try copy.write("nginx.conf", render.stdout)
        let nginx = try #require(NginxBinary.locate())
        #expect(nginx.test(configFile: copy.file("nginx.conf"), layout: NginxLayout(folder: folder)) == nil)

        // The readiness answer is a worker of the nginx kgate started.
        let ready = try LoopbackHTTP.get(port: ports.http, host: NginxPlan.readinessHost, path: "/")
        let master = try String(contentsOfFile: "\(folder)/nginx.pid", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let worker = ready.body.trimmingCharacters(in: .whitespacesAndNewlines)
        let stat = (try? String(contentsOfFile: "/proc/\(worker)/stat", encoding: .utf8)) ?? ""
        #expect(stat.split(separator: ")").last?.split(separator: " ").dropFirst().first.map(String.init) == master)
    }

    @Test func theDemosBackendsAnswerAndGuardedRoutesAreNotServedOpen() throws {
        let setup = try ServeWorkspace("kgate-demo")
        // The demo workspace marks its slices as the demo's.
        let demoSlice = try String(contentsOfFile: "\(setup.workspace)/demo/endpointslice-nginx-local.yaml", encoding: .utf8)
        #expect(demoSlice.contains("\(DemoBackend.annotation): nginx-demo-pod"))
        // Free ports stand in for the demo's fixed ones, so that runs can overlap.
        let free = try LoopbackHTTP.freePorts(2)
        let (nginxPort, webPort) = (free[0], free[1])
        let web = try NamedBackend(name: "web", port: webPort)
        defer { web.stop() }
        try setup.apply([
            ServeWorkspace.slice("demo", "nginx", port: nginxPort, demoPod: "nginx-demo-pod"),
            ServeWorkspace.slice("demo", "web", port: webPort, demoPod: "web-demo-pod"),
            .route(route("real", host: "real.example.com", service: "web", port: 8080)),
            .route(route("guarded", host: "guarded.example.com", service: "web", port: 8080, annotations: [
                "nginx.ingress.kubernetes.io/auth-url": "http://auth.example.com/check",
            ])),
            .route(route("rewritten", host: "rewritten.example.com", service: "web", port: 8080, annotations: [
                "nginx.ingress.kubernetes.io/rewrite-target": "/",
            ])),
            .route(route("loopback-only", host: "loopback.example.com", service: "web", port: 8080, annotations: [
                "nginx.ingress.kubernetes.io/whitelist-source-range": "127.0.0.1/32",
            ])),
            .route(route("fenced", host: "fenced.example.com", service: "web", port: 8080, annotations: [
                "nginx.ingress.kubernetes.io/whitelist-source-range": "10.0.0.0/8",
            ])),
            .route(route("denied", host: "denied.example.com", service: "web", port: 8080, annotations: [
                "nginx.ingress.kubernetes.io/denylist-source-range": "127.0.0.0/8",
            ])),
        ])
        let ports = try setup.setGateway("demo")
        let serve = try setup.serve(["--project", "demo"])
        defer { serve.stop() }
        try #require(serve.waitForOutput("Ctrl-C stops it", seconds: 30), "\(serve.output)")

        // The README's example: the demo route answers, from kgate's own page.
        #expect(serve.stdout.contains("curl -H 'Host: demo.kubesphere.io' http://127.0.0.1:\(ports.http)/"))
        let demo = try LoopbackHTTP.get(port: ports.http, host: "demo.kubesphere.io", path: "/")
        #expect(demo.status == 200)
        #expect(demo.body.hasPrefix("demo backend: service demo/nginx, pod nginx-demo-pod"), "\(demo.body)")
        // A real backend on the demo's address wins over the demo page.
        #expect(try LoopbackHTTP.get(port: ports.http, host: "real.example.com", path: "/").body.hasPrefix("backend=web "))
        // A body larger than nginx's buffers goes through without a temporary file, which
        // nginx's workers could not write when kgate runs as root.
        let upload = try LoopbackHTTP.request(
            "POST", port: ports.http, host: "real.example.com", path: "/upload", body: Array(repeating: 120, count: 300_000))
        #expect(upload.status == 200)
        #expect(upload.body == "backend=web host=real.example.com path=/upload body=300000\n")

        let guarded = try LoopbackHTTP.get(port: ports.http, host: "guarded.example.com", path: "/")
        #expect(guarded.status == 404)
        #expect(serve.stderr.contains(
            "route demo/guarded is not served: annotation nginx.ingress.kubernetes.io/auth-url: authentication is not implemented locally"))
        #expect(serve.stderr.contains("route demo/rewritten: not applied locally: nginx.ingress.kubernetes.io/rewrite-target"))
        #expect(try LoopbackHTTP.get(port: ports.http, host: "rewritten.example.com", path: "/").status == 200)
        // Source ranges are applied: this test's requests come from 127.0.0.1.
        #expect(try LoopbackHTTP.get(port: ports.http, host: "loopback.example.com", path: "/").status == 200)
        #expect(try LoopbackHTTP.get(port: ports.http, host: "fenced.example.com", path: "/").status == 403)
        #expect(try LoopbackHTTP.get(port: ports.http, host: "denied.example.com", path: "/x").status == 403)

        let show = try setup.kgate(["route", "show", "demo", "guarded"])
        #expect(show.stdout.contains("Not served locally:"))
        #expect(show.stdout.contains("annotation nginx.ingress.kubernetes.io/auth-url"))
        let rewritten = try setup.kgate(["route", "show", "demo", "rewritten"])
        #expect(rewritten.stdout.contains("Not applied locally: nginx.ingress.kubernetes.io/rewrite-target"))
        let json = try setup.kgate(["route", "show", "demo", "rewritten", "-o", "json"])
        let shown = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(shown?["notAppliedLocally"] as? [String] == ["nginx.ingress.kubernetes.io/rewrite-target"])
    }

    private func route(
        _ name: String, project: String = "demo", host: String, service: String, port: Int, annotations: [String: String] = [:]
    ) -> Route {
        Route(
            metadata: ObjectMeta(name: name, namespace: project, annotations: annotations),
            rules: [
                RouteRule(
                    host: host,
                    paths: [RoutePath(path: "/", pathType: .prefix, backend: RouteBackend(service: service, port: port))])
            ])
    }
}
