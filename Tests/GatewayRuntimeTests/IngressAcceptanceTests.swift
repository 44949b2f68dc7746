import GatewayKit
import TestSupport
import Testing

/// `kgate apply -f` and `kgate route apply` take what a Kubernetes API server takes and
/// refuse what it refuses, naming the field; KubeSphere's form rules stay with
/// `route create`.
struct IngressAcceptanceTests {
    static func ingress(_ name: String, spec: String) -> String {
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: \(name)\n  namespace: demo\nspec:\n\(spec)\n"
    }

    static let accepted = [
        ingress("only-default", spec: "  defaultBackend: {service: {name: nginx, port: {number: 80}}}"),
        ingress("web.v1", spec: "  rules:\n  - host: a.example.com\n  - http:\n      paths:\n      - {path: '', pathType: ImplementationSpecific, backend: {service: {name: nginx, port: {number: 80}}}}"),
        ingress("tls-default", spec: "  defaultBackend: {service: {name: nginx, port: {name: http}}}\n  tls:\n  - hosts: [10.0.0.1, '*.example.com']"),
    ]

    static let refused: [(text: String, message: String)] = [
        (ingress("empty", spec: "  tls: []"), "spec: either `defaultBackend` or `rules` must be specified"),
        (ingress("no-paths", spec: "  rules:\n  - host: a.example.com\n    http: {paths: []}"), "spec.rules[0].http.paths: Required value"),
        (ingress("bad-prefix", spec: "  rules:\n  - http:\n      paths:\n      - {path: '', pathType: Prefix, backend: {service: {name: nginx, port: {number: 80}}}}"),
         "spec.rules[0].http.paths[0].path: must be an absolute path"),
    ]

    @Test func applyTakesWhatKubernetesTakes() throws {
        let setup = try ServeWorkspace("kgate-accept")
        for text in Self.accepted {
            let result = try KGateProcess.run(["apply", "-f", "-", "--workspace", setup.workspace], input: text)
            #expect(result.status == 0, "\(text)\n\(result)")
            let viaRoute = try KGateProcess.run(["route", "apply", "demo", "-f", "-", "--workspace", setup.workspace], input: text)
            #expect(viaRoute.status == 0, "\(text)\n\(viaRoute)")
        }
        for (text, message) in Self.refused {
            let result = try KGateProcess.run(["apply", "-f", "-", "--workspace", setup.workspace], input: text)
            #expect(result.status == 1, "\(text)\n\(result)")
            #expect(result.stderr.contains(message), "\(result.stderr)")
        }
    }

    /// Every view of a route of another class says so instead of giving a URL.
    @Test func viewsSayARouteOfAnotherClassIsNotServed() throws {
        let setup = try ServeWorkspace("kgate-accept")
        _ = try setup.setGateway("demo")
        try setup.kgate(["apply", "-f", "-"], input: Self.ingress(
            "elsewhere", spec: "  ingressClassName: traefik\n  rules:\n  - host: e.example.com\n    http:\n      paths:\n      - {path: /, pathType: Prefix, backend: {service: {name: nginx, port: {number: 80}}}}"))
        let reason = "not served by this gateway: class traefik"
        let table = try setup.kgate(["routes", "demo"])
        #expect(table.stdout.contains("e.example.com") && table.stdout.contains(reason), "\(table)")
        let json = try setup.kgate(["route", "show", "demo", "elsewhere", "-o", "json"])
        #expect(json.stdout.contains("\"notServed\": \"\(reason)\""), "\(json)")
        #expect(json.stdout.contains("\"ingressClass\": \"traefik\""), "\(json)")
        let gateway = try setup.kgate(["gateway", "show", "demo"])
        #expect(gateway.stdout.contains("\(reason)  (elsewhere)"), "\(gateway)")
    }

    @Test func routeCreateKeepsKubeSpheresFormRules() throws {
        let setup = try ServeWorkspace("kgate-accept")
        let dotted = try setup.run(["route", "create", "demo", "web.v2", "--rule", "a.example.com/=nginx:80"])
        #expect(dotted.status != 0)
        #expect(dotted.stderr.contains("KubeSphere allows no '.'"), "\(dotted)")
        let none = try setup.run(["route", "create", "demo", "web"])
        #expect(none.status != 0)
        #expect(none.stderr.contains("a route needs at least one rule"), "\(none)")
    }
}
