import GatewayKit
import Testing

/// Parse errors name the source, the document and the field, in Kubernetes' words.
@Suite("Parse errors")
struct ParseErrorTests {
    static let ingress = """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: web
          namespace: demo
        spec:
          rules:
          - host: %HOST%
            http:
              paths:
              - path: /
                pathType: %TYPE%
                backend:
                  service:
                    name: web
                    port:
                      number: 80
        """

    private func messages(_ text: String, source: String = "routes/web.yaml") -> [String] {
        ManifestParser.parse(text, source: source).problems.flatMap { $0.description.split(separator: "\n").map(String.init) }
    }

    private func ingress(host: String = "demo.kubesphere.io", type: String = "Prefix") -> String {
        Self.ingress.replacingOccurrences(of: "%HOST%", with: host).replacingOccurrences(of: "%TYPE%", with: type)
    }

    @Test("an unsupported pathType lists the supported values")
    func pathType() {
        #expect(messages("---\n" + ingress(type: "Foo")) == [
            #"routes/web.yaml (document 1): spec.rules[0].http.paths[0].pathType: Unsupported value: "Foo": supported values: "Exact", "ImplementationSpecific", "Prefix""#,
        ])
    }

    @Test("a host that is not a string, in the second document")
    func hostType() {
        #expect(messages(ingress() + "\n---\n" + ingress(host: "[a, b]")) == [
            "routes/web.yaml (document 2): spec.rules[0].host: must be a string",
        ])
        #expect(messages(ingress(host: "yes")) == ["routes/web.yaml (document 1): spec.rules[0].host: must be a string"])
        #expect(messages(ingress(host: "\"yes\"")).isEmpty)
    }

    @Test("kinds kgate does not store are refused with the list of those it does")
    func unknownKind() {
        let text = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: x\n"
        #expect(messages(text, source: "a.yaml") == [
            "a.yaml (document 1): kind: StatefulSet is not a kind kgate stores (it stores Namespace, Node, Service, EndpointSlice, Secret, Ingress, Gateway, Deployment, Eip, ConfigMap, HTTPRoute, ReferenceGrant)",
        ])
        let deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: nginx\n"
        #expect(messages(deployment, source: "d.yaml") == [
            "d.yaml (document 1): kind: Deployment nginx is not a kind kgate stores (only the legacy router Deployment kubesphere-router-<project>)",
        ])
        let configMap = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\n"
        #expect(messages(configMap, source: "c.yaml").first?.contains("only ConfigMap kgate-settings") == true)
    }

    @Test("a wrong apiVersion for a known kind")
    func apiVersion() {
        let text = ingress().replacingOccurrences(of: "networking.k8s.io/v1", with: "extensions/v1beta1")
        #expect(messages(text) == [
            #"routes/web.yaml (document 1): apiVersion: Unsupported value: "extensions/v1beta1": supported values: "networking.k8s.io/v1" (for kind Ingress)"#,
        ])
    }

    @Test("a Secret that is not kubernetes.io/tls is refused with the reason")
    func opaqueSecret() {
        let text = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  namespace: p\ntype: Opaque\ndata:\n  password: eA==\n"
        #expect(messages(text, source: "s.yaml") == [
            #"s.yaml (document 1): type: Unsupported value: "Opaque": supported values: "kubernetes.io/tls" (kgate stores only TLS Secrets)"#,
        ])
    }

    @Test("missing and mistyped fields are all reported, each with its path")
    func several() {
        let text = """
            apiVersion: v1
            kind: Service
            metadata:
              namespace: 7
            spec:
              ports:
              - port: "80"
                nodePort: true
              - name: x
              externalIPs: 1.2.3.4
            """
        #expect(messages(text, source: "svc.yaml") == [
            "svc.yaml (document 1): metadata.name: Required value",
            "svc.yaml (document 1): metadata.namespace: must be a string",
            "svc.yaml (document 1): spec.ports[0].port: must be an integer",
            "svc.yaml (document 1): spec.ports[0].nodePort: must be an integer",
            "svc.yaml (document 1): spec.ports[1].port: Required value",
            "svc.yaml (document 1): spec.externalIPs: must be a list",
        ])
    }

    @Test("items of a v1 List are addressed by index; good items still load")
    func listItems() {
        let json = """
            {"apiVersion": "v1", "kind": "List", "items": [
              {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "demo"}},
              {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": 5}}
            ]}
            """
        let result = ManifestParser.parse(json, source: "list.json")
        #expect(result.objects == [.project(Project(name: "demo"))])
        #expect(result.problems.map(\.description) == ["list.json (document 1): items[1].metadata.name: must be a string"])
    }

    @Test("syntax errors name the line; the other documents still load")
    func syntax() {
        let text = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\nkind: [unclosed\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n"
        let result = ManifestParser.parse(text, source: "x.yaml")
        #expect(result.objects.map(\.name) == ["a", "b"])
        #expect(result.problems.count == 1)
        #expect(result.problems.first?.document == 1)
        #expect(result.problems.first?.description.hasPrefix("x.yaml (document 2): line 7") == true)
        let json = ManifestParser.parse("{\"kind\": \"Namespace\",\n \"x\": tru}", source: "j.json")
        #expect(json.problems.map(\.description) == ["j.json (document 1): line 2, column 7: unexpected character"])
    }

    @Test("empty documents are skipped, comments too")
    func empty() {
        let result = ManifestParser.parse("# header\n---\n---\n# nothing\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\n", source: "e")
        #expect(result.objects.map(\.name) == ["a"])
        #expect(result.problems.isEmpty)
        #expect(ManifestParser.parse("", source: "e").objects.isEmpty)
        #expect(ManifestParser.parse("null\n", source: "e").problems.isEmpty)
    }

    @Test("gateway CR: type is exactly NodePort or LoadBalancer; governance is true or false")
    func gateway() {
        let text = """
            apiVersion: gateway.kubesphere.io/v1alpha1
            kind: Gateway
            metadata: {name: kubesphere-router-demo, namespace: kubesphere-controls-system}
            spec:
              controller: {scope: {enabled: true, namespace: demo}}
              service: {type: ClusterIP}
              deployment: {annotations: {servicemesh.kubesphere.io/enabled: "maybe"}}
            """
        #expect(messages(text, source: "g.yaml") == [
            #"g.yaml (document 1): spec.service.type: Unsupported value: "ClusterIP": supported values: "LoadBalancer", "NodePort""#,
            #"g.yaml (document 1): spec.deployment.annotations[servicemesh.kubesphere.io/enabled]: Unsupported value: "maybe": supported values: "false", "true""#,
        ])
    }

    @Test("a hand-written Gateway with no status gets the default ports")
    func gatewayDefaults() {
        let text = """
            apiVersion: gateway.kubesphere.io/v1alpha1
            kind: Gateway
            metadata: {name: kubesphere-router-demo, namespace: kubesphere-controls-system}
            spec: {service: {type: NodePort}}
            """
        let result = ManifestParser.parse(text, source: "g.yaml")
        #expect(result.objects == [.gateway(Gateway(project: "demo"))])
    }
}

@Suite("Plain scalars")
struct PlainScalarTests {
    @Test("YAML 1.1 booleans and nulls, decimal and hex integers; the rest is text")
    func resolution() {
        let cases: [(String, ManifestValue)] = [
            ("yes", .bool(true)), ("Off", .bool(false)), ("~", .null), ("null", .null), ("80", .int(80)),
            ("-1", .int(-1)), ("0x1F", .int(31)), ("012", .string("012")), ("1.5", .string("1.5")),
            ("2024-05-01", .string("2024-05-01")), ("web", .string("web")), ("0", .int(0)),
        ]
        for (text, expected) in cases {
            let parsed = ManifestParser.parse("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: \(text)\n", source: "s")
            switch expected {
            case .string(let name): #expect(parsed.objects.map(\.name) == [name], "\(text)")
            default: #expect(parsed.problems.count == 1, "\(text) should not read as a string")
            }
        }
    }
}
