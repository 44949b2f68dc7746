import GatewayKit

/// Strings an attacker or a bad paste would put in a field. Each holds at least one
/// character that no name, host, port or path rule accepts.
enum Hostile {
    static let strings: [String] = [
        "a\"b", "a'b", "`id`", "{x}", "a}", "a;b", "; rm -rf /", "a\nb", "a\r\nb", "\r", "#comment", "$host",
        "${x}", "a b", "a\\b", "é", "名字", "🙂", "\u{1B}[2J", "a\u{0}b", "\u{202E}evil", "a\u{2028}b",
        repeated("a", 300) + ";", "x\nlocation / { return 200; }",
    ]

    /// Whether free text holding `text` must be refused: only control characters are.
    static func breaksFreeText(_ text: String) -> Bool {
        text.unicodeScalars.contains {
            $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || [0x2028, 0x2029].contains($0.value)
                || (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value)
        }
    }
}

/// A field of an object that a hostile string can be put into, and the path of that field.
struct Target<Object>: Sendable {
    let name: String
    /// Free text accepts anything but control characters; every other field refuses all
    /// of `Hostile.strings`.
    let isFreeText: Bool
    let inject: @Sendable (inout Object, String) -> FieldPath

    init(_ name: String, freeText: Bool = false, _ inject: @escaping @Sendable (inout Object, String) -> FieldPath) {
        self.name = name
        self.isFreeText = freeText
        self.inject = inject
    }
}

enum Targets {
    static let route: [Target<Route>] = [
        Target("name") { r, s in r.metadata.name += s; return "metadata.name" },
        Target("namespace") { r, s in r.metadata.namespace = s + r.metadata.namespace; return "metadata.namespace" },
        Target("label key") { r, s in r.metadata.labels["x" + s] = "v"; return FieldPath("metadata.labels").key("x" + s) },
        Target("label value") { r, s in r.metadata.labels["app"] = "v" + s; return FieldPath("metadata.labels").key("app") },
        Target("annotation key") { r, s in r.metadata.annotations[s + "k"] = "v"; return FieldPath("metadata.annotations").key(s + "k") },
        Target("annotation value", freeText: true) { r, s in
            r.metadata.annotations["example.com/note"] = s
            return FieldPath("metadata.annotations").key("example.com/note")
        },
        Target("alias", freeText: true) { r, s in r.alias = String(s.prefix(63)); return FieldPath("metadata.annotations").key(KubeSphereAnnotation.alias) },
        Target("description", freeText: true) { r, s in
            r.description = String(s.prefix(256))
            return FieldPath("metadata.annotations").key(KubeSphereAnnotation.description)
        },
        Target("ingressClassName") { r, s in r.ingressClassName = "nginx" + s; return "spec.ingressClassName" },
        Target("host") { r, s in r.rules[0].host = "a" + s + ".example.com"; return "spec.rules[0].host" },
        Target("path") { r, s in r.rules[0].paths[0].path += s; return "spec.rules[0].http.paths[0].path" },
        Target("service") { r, s in r.rules[0].paths[0].backend.service += s; return "spec.rules[0].http.paths[0].backend.service.name" },
        Target("port name") { r, s in
            r.rules[0].paths[0].backend = RouteBackend(service: "web", portName: "http" + s)
            return "spec.rules[0].http.paths[0].backend.service.port.name"
        },
        Target("tls host") { r, s in r.tls = [RouteTLS(hosts: [s + ".example.com"], secretName: "tls")]; return "spec.tls[0].hosts[0]" },
        Target("tls secret") { r, s in r.tls = [RouteTLS(hosts: [], secretName: "tls" + s)]; return "spec.tls[0].secretName" },
        Target("resourceVersion", freeText: true) { r, s in
            r.metadata.resourceVersion = "1" + s
            return "metadata.resourceVersion"
        },
    ]

    static let gateway: [Target<Gateway>] = [
        Target("project") { g, s in g.project = "p" + s; return "spec.controller.scope.namespace" },
        Target("namespace") { g, s in g.namespace += s; return "metadata.namespace" },
        Target("annotation key") { g, s in g.annotations[s] = "v"; return FieldPath("spec.service.annotations").key(s) },
        Target("annotation value", freeText: true) { g, s in
            g.annotations["example.com/eip"] = s
            return FieldPath("spec.service.annotations").key("example.com/eip")
        },
        Target("config key") { g, s in g.config["k" + s] = "v"; return FieldPath("spec.controller.config").key("k" + s) },
        Target("config value", freeText: true) { g, s in g.config["proxy-body-size"] = s; return FieldPath("spec.controller.config").key("proxy-body-size") },
        Target("port name") { g, s in g.ports[1].name += s; return "spec.ports[1].name" },
        Target("external IP") { g, s in g.externalIPs = ["1.2.3.4" + s]; return "spec.externalIPs[0]" },
    ]

    static let service: [Target<BackendService>] = [
        Target("name") { v, s in v.metadata.name += s; return "metadata.name" },
        Target("type") { v, s in v.type += s; return "spec.type" },
        Target("port name") { v, s in v.ports[0].name = "web" + s; return "spec.ports[0].name" },
        Target("target port") { v, s in v.ports[0].targetPort = "8080" + s; return "spec.ports[0].targetPort" },
        Target("protocol") { v, s in v.ports[0].protocol = s; return "spec.ports[0].protocol" },
        Target("selector value") { v, s in v.selector["app"] = s; return FieldPath("spec.selector").key("app") },
        Target("cluster IP") { v, s in v.clusterIP = s + "10.0.0.1"; return "spec.clusterIP" },
    ]
}
