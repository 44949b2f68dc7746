import Foundation
import Testing
import TestSupport

/// The built `kgate` binary on temporary workspaces: every subcommand and every refusal.
@Suite("kgate command line")
struct CommandLineTests {
    let folder: TemporaryFolder
    var workspace: String { folder.workspace }

    init() throws { folder = try TemporaryFolder.withDemoWorkspace("cli") }

    func kgate(_ arguments: String..., input: String? = nil) throws -> KGateProcess.Result {
        try KGateProcess.run(arguments + ["--workspace", workspace], input: input)
    }

    func json(_ result: KGateProcess.Result) throws -> Any {
        #expect(result.status == 0, "\(result)")
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
    }

    /// Every file of the workspace and its text: to show that a refusal wrote nothing.
    func contents() throws -> [String: String] {
        var result: [String: String] = [:]
        let enumerator = FileManager.default.enumerator(atPath: workspace)
        while let name = enumerator?.nextObject() as? String {
            // The workspace index is derived: any read may write it.
            if name == ".kgate-index" { continue }
            if let text = folder.read("ws/\(name)") { result[name] = text }
        }
        return result
    }

    @Test("the seed: gateway set demo --type NodePort --http-node-port 30798 --https-node-port 31279")
    func seed() throws {
        let set = try kgate("gateway", "set", "demo", "--type", "NodePort", "--http-node-port", "30798", "--https-node-port", "31279")
        #expect(set.status == 0, "\(set)")
        #expect(set.stdout.contains("http://139.198.0.20:30798"))

        let show = try #require(try json(kgate("gateway", "show", "demo", "-o", "json")) as? [String: Any])
        #expect(show["type"] as? String == "NodePort")
        #expect(show["status"] as? String == "Ready")
        #expect(show["governance"] as? Bool == false)
        let addresses = try #require(show["addresses"] as? [[String: Any]])
        #expect(addresses.first?["address"] as? String == "139.198.0.20")
        #expect(addresses.first?["kind"] as? String == "ExternalIP")
        #expect(addresses.first?["node"] as? String == "node1")
        let ports = try #require(show["ports"] as? [[String: Any]])
        #expect(ports.map { $0["nodePort"] as? Int } == [30798, 31279])
        #expect(ports.map { $0["port"] as? Int } == [80, 443])
        let urls = try #require(show["urls"] as? [String])
        #expect(urls.prefix(2) == ["http://139.198.0.20:30798", "https://139.198.0.20:31279"])

        let routes = try #require(try json(kgate("routes", "demo", "-o", "json")) as? [[String: Any]])
        let rule = try #require((routes.first?["rules"] as? [[String: Any]])?.first)
        #expect(rule["host"] as? String == "demo.kubesphere.io")
        let path = try #require((rule["paths"] as? [[String: Any]])?.first)
        #expect(path["url"] as? String == "http://demo.kubesphere.io:30798/")
        #expect(path["service"] as? String == "nginx")
        #expect(path["port"] as? Int == 80)
        #expect(path["pathType"] as? String == "ImplementationSpecific")

        let table = try kgate("gateway", "show", "demo")
        #expect(table.stdout.contains("http:30798; https:31279"))
        #expect(table.stdout.contains("139.198.0.20 (ExternalIP, node1)"))
    }

    @Test("route create with TLS gives the https URL on the https node port; route show and delete")
    func routeLifecycle() throws {
        _ = try kgate("gateway", "set", "demo", "--type", "NodePort", "--http-node-port", "30798", "--https-node-port", "31279")
        let create = try kgate(
            "route", "create", "demo", "secure", "--rule", "demo.kubesphere.io/secure=nginx:80", "--tls", "demo.kubesphere.io=demo-tls",
            "--alias", "Secure")
        #expect(create.status == 0, "\(create)")
        #expect(create.stdout.contains("https://demo.kubesphere.io:31279/secure"))
        let shown = try #require(try json(kgate("route", "show", "demo", "secure", "-o", "json")) as? [String: Any])
        #expect(shown["alias"] as? String == "Secure")
        #expect((shown["tls"] as? [[String: Any]])?.first?["secretName"] as? String == "demo-tls")
        let yaml = try kgate("route", "show", "demo", "secure", "-o", "yaml")
        #expect(yaml.stdout.contains("url: https://demo.kubesphere.io:31279/secure"))
        #expect(try kgate("route", "delete", "demo", "secure").status == 0)
        #expect(try kgate("route", "show", "demo", "secure").status == 1)
    }

    @Test("a route repeating an older route's host and path is created with a warning; every view names the route serving it")
    func pathAnotherRouteServes() throws {
        _ = try kgate("gateway", "set", "demo", "--type", "NodePort", "--http-node-port", "30798", "--https-node-port", "31279")
        // The demo workspace's route `demo` serves demo.kubesphere.io/: it is older (or of
        // the same second, when the name decides).
        let create = try kgate("route", "create", "demo", "later", "--rule", "demo.kubesphere.io/=nginx:80", "--rule", "demo.kubesphere.io/later=nginx:80")
        #expect(create.status == 0, "\(create)")
        #expect(create.stderr.contains("warning: demo.kubesphere.io/ is not served: route demo claimed it first"))
        #expect(create.stdout.contains("http://demo.kubesphere.io:30798/later"))
        #expect(!create.stdout.contains("http://demo.kubesphere.io:30798/\n"))
        let table = try kgate("routes", "demo")
        #expect(table.stdout.contains("not served: route demo claimed it first"))
        let shown = try #require(try json(kgate("route", "show", "demo", "later", "-o", "json")) as? [String: Any])
        let paths = try #require((shown["rules"] as? [[String: Any]])?.first?["paths"] as? [[String: Any]])
        #expect(paths.map { $0["notServed"] as? String } == ["not served: route demo claimed it first", nil])
        #expect(paths.map { $0["url"] as? String } == [nil, "http://demo.kubesphere.io:30798/later"])
        #expect(shown["notServed"] is NSNull)
        // The local gateway agrees.
        let nginx = try kgate("render", "demo", "--format", "nginx")
        #expect(nginx.stderr.contains("route demo/later: location / is already served by route demo/demo"))
        // Of two routes of only a default backend, the older one's is the project's.
        let fallbacks = ["first": "2020-01-01T00:00:00Z", "again": "2021-01-01T00:00:00Z"].map { name, created in
            """
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: \(name)
              namespace: demo
              creationTimestamp: "\(created)"
            spec:
              defaultBackend:
                service:
                  name: nginx
                  port:
                    number: 80
            """
        }.joined(separator: "\n---\n")
        #expect(try kgate("apply", "-f", "-", input: fallbacks).status == 0)
        let listed = try #require(try json(kgate("routes", "demo", "-o", "json")) as? [[String: Any]])
        let defaults = Dictionary(uniqueKeysWithValues: listed.compactMap { route -> (String, String?)? in
            guard let name = route["name"] as? String, let backend = route["defaultBackend"] as? [String: Any] else { return nil }
            return (name, backend["notServed"] as? String)
        })
        #expect(defaults == ["first": nil, "again": "not served: route first claimed it first"])
    }

    @Test("a backend service that does not exist yet is accepted, as Kubernetes does, with a warning")
    func missingService() throws {
        let create = try kgate("route", "create", "demo", "later", "--rule", "later.example.com/=not-yet:http")
        #expect(create.status == 0, "\(create)")
        #expect(create.stderr.contains("warning: project demo has no service not-yet"))
    }

    @Test("auto-generated hosts use the gateway's address and the workspace's base")
    func autoDomain() throws {
        _ = try kgate("gateway", "set", "demo", "--type", "NodePort")
        let create = try kgate("route", "create", "demo", "auto", "--rule", "/=web:8080", "--auto-domain")
        #expect(create.status == 0, "\(create)")
        #expect(create.stdout.contains("web.demo.139.198.0.20.nip.io"))
    }

    @Test("switching to LoadBalancer keeps the routes, takes an address from the pool and reports stale auto hosts")
    func switchType() throws {
        let set = try kgate("gateway", "set", "shop", "--type", "LoadBalancer")
        #expect(set.status == 0, "\(set)")
        #expect(set.stderr.contains("frontend.shop.139.198.0.20.nip.io is stale"))
        #expect(set.stderr.contains("frontend.shop.192.168.0.101.nip.io"))
        let show = try #require(try json(kgate("gateway", "show", "shop", "-o", "json")) as? [String: Any])
        #expect(show["type"] as? String == "LoadBalancer")
        #expect((show["addresses"] as? [[String: Any]])?.first?["address"] as? String == "192.168.0.101")
        #expect((show["ports"] as? [[String: Any]])?.map { $0["nodePort"] as? Int } == [31080, 31443])
        let routes = try #require(try json(kgate("routes", "shop", "-o", "json")) as? [[String: Any]])
        #expect(routes.count == 3)
    }

    @Test("refusals exit 1 with the field and reason on stderr, and write nothing", arguments: [
        (["route", "create", "demo", "Bad_Name", "--rule", "a.example.com/=web:8080"], "metadata.name"),
        (["route", "create", "demo", "ip", "--rule", "1.2.3.4/=web:8080"], "must be a DNS name, not an IP address"),
        (["route", "create", "demo", "wild", "--rule", "*.*.example.com/=web:8080"], "spec.rules[0].host"),
        (["route", "create", "nope", "r", "--rule", "a.example.com/=web:8080"], "Namespace nope not found"),
        (["gateway", "set", "demo", "--type", "NodePort", "--http-node-port", "80"], "not in the valid range 30000-32767"),
        (["gateway", "set", "demo", "--type", "NodePort", "--http-node-port", "-1"], "spec.ports[0].nodePort"),
        (["gateway", "set", "demo", "--type", "NodePort", "--https-node-port", "-1"], "spec.ports[1].nodePort"),
        (["gateway", "set", "demo", "--type", "NodePort", "--http-node-port", "31080"], "already allocated by Service kubesphere-controls-system/kubesphere-router-shop"),
        (["gateway", "set", "demo", "--type", "ClusterIP"], "supported values: \"LoadBalancer\", \"NodePort\""),
        (["gateway", "set", "demo", "--type", "nodeport"], "Unsupported value: \"nodeport\""),
        (["gateway", "show", "demo"], "has no gateway"),
        (["gateway", "delete", "demo"], "not found"),
        (["render", "demo", "--format", "nginx"], "has no gateway"),
        (["gateway", "set", "demo", "--type", "NodePort", "--read-only"], "read-only"),
    ])
    func refusals(arguments: [String], reason: String) throws {
        let before = try contents()
        let result = try KGateProcess.run(arguments + ["--workspace", workspace])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains(reason), "\(result)")
        #expect(try contents() == before)
    }

    @Test("usage errors exit 2", arguments: [
        ["gateway", "set", "demo"], ["route", "create", "demo", "r", "--rule", "nohost"], ["frobnicate"],
        ["gateway", "set", "demo", "--type", "NodePort", "--annotation", "novalue"],
    ])
    func usageErrors(arguments: [String]) throws {
        let result = try KGateProcess.run(arguments + ["--workspace", workspace])
        #expect(result.status == 2, "\(result)")
        #expect(!result.stderr.isEmpty)
    }

    @Test("apply: several kinds from one file; unsupported kinds refused with the reason; a stale version is a conflict")
    func apply() throws {
        let manifest = """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: blog
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: ghost
              namespace: blog
            spec:
              ports:
              - name: http
                port: 2368
            ---
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: ghost
              namespace: blog
            spec:
              rules:
              - host: blog.example.com
                http:
                  paths:
                  - path: /
                    pathType: Prefix
                    backend:
                      service:
                        name: ghost
                        port:
                          number: 2368
            """
        let applied = try kgate("apply", "-f", "-", input: manifest)
        #expect(applied.status == 0, "\(applied)")
        #expect(applied.stdout.contains("Namespace blog created"))
        #expect(applied.stdout.contains("Ingress blog/ghost created"))
        #expect(try kgate("apply", "-f", "-", input: manifest).stdout.contains("Ingress blog/ghost unchanged"))

        let before = try contents()
        let pod = try kgate("apply", "-f", "-", input: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: blog\n")
        #expect(pod.status == 1)
        #expect(pod.stderr.contains("Pod"))
        let stale = manifest.replacingOccurrences(of: "  name: ghost\n  namespace: blog\nspec:\n  rules", with: "  name: ghost\n  namespace: blog\n  resourceVersion: \"1\"\nspec:\n  rules")
        let conflict = try kgate("apply", "-f", "-", input: stale)
        #expect(conflict.status == 1, "\(conflict)")
        #expect(conflict.stderr.contains("conflict"))
        #expect(try contents() == before)
    }

    @Test("projects, render and the JSON shapes")
    func listings() throws {
        let projects = try #require(try json(kgate("projects", "-o", "json")) as? [[String: Any]])
        #expect(projects.map { $0["name"] as? String } == ["demo", "edge", "shop"])
        #expect(projects.first?["gateway"] is NSNull)
        #expect(try kgate("projects").stdout.contains("Not Set"))
        let render = try kgate("render", "shop")
        #expect(render.status == 0)
        #expect(render.stdout.contains("kind: Gateway"))
        #expect(render.stdout.contains("kind: Ingress"))
        let renderJSON = try json(kgate("render", "shop", "-o", "json")) as? [String: Any]
        #expect(renderJSON?["kind"] as? String == "List")
    }

    @Test("without a terminal the console says it needs one, names the subcommands and exits 2")
    func consoleWithoutTerminal() throws {
        let result = try kgate()
        #expect(result.status == 2)
        #expect(result.stderr.contains("needs a terminal"))
        #expect(result.stderr.contains("gateway show"))
    }
}
