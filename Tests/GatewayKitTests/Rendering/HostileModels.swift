import TestSupport
import GatewayKit

/// Random objects of every kind whose every string field holds hostile text: quotes,
/// braces, semicolons, line breaks, `#`, `$`, `: `, `- `, YAML's special words, numbers
/// and non-ASCII. They must render as inert data and read back unchanged.
struct HostileModels {
    static let words = [
        "", " ", "yes", "no", "on", "off", "y", "N", "true", "False", "null", "~", "NULL", "0x10", "0o12", "012",
        "1e3", ".5", "-1", "+1", "30798", "1_000", ".inf", ".NaN", "2024-05-01", "1:20", "<<", "=", "-", "---", "...",
        "?", ": ", "- ", "a: b", "a #b", "#x", "&a", "*a", "!tag", "|", ">", "'", "\"", "%", "@", "`", "{", "}", "[", "]",
        ",", ";", "$(POD_NAMESPACE)", "${x}", "\\", "\\n", "\n", "\r\n", "\t", "\u{0}", "\u{7F}", "\u{85}", "\u{A0}",
        "\u{2028}", "\u{2029}", "\u{FEFF}", "\u{FFFE}", "\u{1B}[31m", "名前", "Ünïcödé", "😀", "👩‍👩‍👧", "e\u{301}", " lead",
        "trail ", "a:", "x:y", "{a: 1}", "[1, 2]", "'single'", "\"double\"", "; rm -rf /", "</script>",
    ]

    var generator: SeededGenerator
    let words: [String]

    init(seed: UInt64, words: [String] = HostileModels.words) {
        generator = SeededGenerator(seed: seed)
        self.words = words
    }

    mutating func string() -> String {
        let count = Int.random(in: 1...3, using: &generator)
        let text = (0..<count).map { _ in words.randomElement(using: &generator) ?? "" }.joined()
        // Yams drops a leading U+FEFF of any scalar (it decodes with Foundation, which
        // takes it for a byte-order mark); `PropertyTests.leadingByteOrderMark` pins that.
        return text.hasPrefix("\u{FEFF}") ? "x" + text : text
    }

    mutating func optional() -> String? { Bool.random(using: &generator) ? string() : nil }

    mutating func strings() -> [String] { (0..<Int.random(in: 0...3, using: &generator)).map { _ in string() } }

    mutating func dictionary() -> [String: String] {
        var result: [String: String] = [:]
        for _ in 0..<Int.random(in: 0...4, using: &generator) { result[string()] = string() }
        return result
    }

    mutating func int() -> Int { Int.random(in: -1...70000, using: &generator) }

    mutating func meta() -> ObjectMeta {
        ObjectMeta(
            name: string(), namespace: string(), labels: dictionary(), annotations: dictionary(),
            resourceVersion: optional(), creationTimestamp: optional())
    }

    mutating func backend() -> RouteBackend {
        RouteBackend(
            service: string(), portNumber: Bool.random(using: &generator) ? int() : nil,
            portName: Bool.random(using: &generator) ? string() : nil)
    }

    mutating func route() -> Route {
        let rules = (0..<Int.random(in: 0...3, using: &generator)).map { _ in
            RouteRule(host: string(), paths: (0..<Int.random(in: 0...3, using: &generator)).map { _ in
                RoutePath(path: string(), pathType: PathType.allCases.randomElement(using: &generator), backend: backend())
            })
        }
        return Route(
            metadata: meta(), ingressClassName: optional(), defaultBackend: Bool.random(using: &generator) ? backend() : nil,
            rules: rules, tls: (0..<Int.random(in: 0...2, using: &generator)).map { _ in RouteTLS(hosts: strings(), secretName: optional()) })
    }

    mutating func loadBalancer() -> [LoadBalancerIngress] {
        (0..<Int.random(in: 0...2, using: &generator)).map { _ in LoadBalancerIngress(ip: optional(), hostname: optional()) }
    }

    mutating func gateway() -> Gateway {
        Gateway(
            project: "p" + string(), namespace: string(), type: GatewayType.allCases.randomElement(using: &generator) ?? .nodePort,
            ports: (0..<Int.random(in: 0...3, using: &generator)).map { _ in
                GatewayPort(name: string(), port: int(), nodePort: Bool.random(using: &generator) ? int() : nil)
            },
            annotations: dictionary(), governance: Bool.random(using: &generator), replicas: int(), config: dictionary(),
            loadBalancerIngress: loadBalancer(), externalIPs: strings(), resourceVersion: optional(),
            creationTimestamp: optional())
    }

    mutating func objects() -> [KubeObject] {
        var endpointsMeta = meta()
        endpointsMeta.labels["kubernetes.io/service-name"] = nil
        let low = Int.random(in: 0...40000, using: &generator)
        return [
            .project(Project(metadata: meta())),
            .node(Node(metadata: meta(), addresses: (0..<Int.random(in: 0...3, using: &generator)).map { _ in
                NodeAddress(NodeAddress.Kind.allCases.randomElement(using: &generator) ?? .internalIP, string())
            })),
            .service(BackendService(
                metadata: meta(), type: string(),
                ports: (0..<Int.random(in: 0...3, using: &generator)).map { _ in
                    ServicePort(name: optional(), port: int(), targetPort: Bool.random(using: &generator) ? String(int()) : optional(),
                                protocol: string(), nodePort: Bool.random(using: &generator) ? int() : nil)
                },
                selector: dictionary(), clusterIP: optional(), externalIPs: strings(), loadBalancerIngress: loadBalancer())),
            .endpoints(BackendEndpoints(
                metadata: endpointsMeta, serviceName: string(), addressType: string(), addresses: strings(),
                ports: (0..<Int.random(in: 0...2, using: &generator)).map { _ in EndpointPort(name: optional(), port: int(), protocol: string()) })),
            .secret(TLSSecret(metadata: meta(), certificate: string(), key: string())),
            .route(route()),
            .gateway(gateway()),
            .routerDeployment(RouterDeployment(
                project: "p" + string(), namespace: string(), replicas: int(), governance: Bool.random(using: &generator),
                resourceVersion: optional())),
            .addressPool(AddressPool(
                metadata: meta(), address: string(), protocol: string(), interface: optional(),
                disabled: Bool.random(using: &generator))),
            .settings(WorkspaceSettings(
                nodePortRange: low...(low + Int.random(in: 0...3000, using: &generator)), autoDomainBase: string(),
                gatewayNamespace: string(), gatewayFlavor: GatewayFlavor.allCases.randomElement(using: &generator) ?? .gatewayCRD)),
        ]
    }
}
