import GatewayKit
import Testing

/// The Gateway's and the ReferenceGrant's rules, each with an accepted and a refused
/// example. The valid objects are kgate's own render of a small project; each case
/// changes one field.
@Suite("Gateway API rules: Gateway and ReferenceGrant")
struct GatewayRulesTests {
    static let set = ConversionSamples.convert([ConversionSamples.web])
    /// Listener 0: HTTP demo.example.com:80; listener 1: HTTPS demo.example.com:443.
    static let gateway = GatewayAPIRenderer.manifest(set.gateway)
    static let grant = GatewayAPIRenderer.manifest(set.referenceGrants[0])
    let gateway = GatewayRulesTests.gateway
    let listener: FieldPath = "spec.listeners[0]"

    @Test("kgate's render of a project is accepted, every object of it")
    func renderAccepted() {
        #expect(GatewayAPIValidator.errors(Self.set) == [])
    }

    @Test("schema: unknown fields are refused where the API declares none; declared ones are accepted")
    func unknownFields() {
        expectRefused(gateway.setting("spec.listener", .list([])), at: "spec.listener", "field not declared in schema")
        expectRefused(gateway.setting("spec.listeners[0].tlsMode", .string("Terminate")), at: "spec.listeners[0].tlsMode", "field not declared in schema")
        expectRefused(gateway.setting("metadata.finalizer", .string("x")), at: "metadata.finalizer", "field not declared in schema")
        expectAccepted(gateway.setting("metadata.finalizers", .list([.string("example.com/keep")])))
        expectAccepted(gateway.setting("spec.addresses", .list([])))
        expectAccepted(gateway.setting("status", .map([])))
    }

    @Test("addresses: the type's pattern, an IP for IPAddress (the default), a hostname for Hostname, each unique")
    func addresses() {
        func with(_ addresses: [[String: String]]) -> ManifestValue {
            gateway.setting("spec.addresses", .list(addresses.map { address in
                .map(address.keys.sorted().map { ManifestField($0, .string(address[$0]!)) })
            }))
        }
        expectAccepted(with([["value": "10.0.0.1"], ["type": "IPAddress", "value": "2001:db8::1"]]))
        expectAccepted(with([["type": "Hostname", "value": "*.example.com"], ["type": "NamedAddress", "value": "my-pool"]]))
        expectAccepted(with([["type": "example.com/custom", "value": "anything goes"], ["type": "Hostname"]]))
        expectRefused(with([["value": "1.1.1"]]), at: "spec.addresses[0].value", "must be an IPv4 or IPv6 address when type is IPAddress")
        expectRefused(with([["value": "foo.com"]]), at: "spec.addresses[0].value", "must be an IPv4 or IPv6 address when type is IPAddress")
        expectRefused(with([["type": "IPAddress", "value": "256.255.255.255"]]), at: "spec.addresses[0].value", "must be an IPv4 or IPv6 address when type is IPAddress")
        expectRefused(with([["value": "2001:db8:3c4d:15:0:d234:3eee:::"]]), at: "spec.addresses[0].value", "must be an IPv4 or IPv6 address when type is IPAddress")
        expectRefused(
            with([["type": "Hostname", "value": "foo.com:80"]]), at: "spec.addresses[0].value",
            "Hostname value must be empty or contain only valid characters: should match '^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'")
        expectRefused(with([["value": "10.0.0.1"], ["value": "10.0.0.1"]]), at: "spec.addresses", "IPAddress values must be unique")
        expectRefused(with([["type": "Hostname", "value": "a.com"], ["type": "Hostname", "value": "a.com"]]), at: "spec.addresses", "Hostname values must be unique")
        let badType = with([["type": "Bogus", "value": "x"]])
        #expect(GatewayAPIValidator.errors(badType).map(\.field.description) == ["spec.addresses[0].type"])
        expectRefused(gateway.setting("spec.addresses", .list([.map([ManifestField("value", .string("10.0.0.1")), ManifestField("port", .int(80))])])), at: "spec.addresses[0].port", "field not declared in schema")
    }

    @Test("schema: required fields, types, ranges and lengths")
    func types() {
        expectRefused(gateway.setting("spec.gatewayClassName", nil), at: "spec.gatewayClassName", "Required value")
        expectRefused(gateway.setting("spec.listeners[0].name", nil), at: "spec.listeners[0].name", "Required value")
        expectRefused(gateway.setting("spec.listeners[0].port", .string("80")), at: "spec.listeners[0].port", "must be an integer")
        expectRefused(gateway.setting("spec.listeners[0].port", .int(0)), at: "spec.listeners[0].port", "must be between 1 and 65535")
        expectAccepted(gateway.setting("spec.listeners[0].port", .int(65535)))
        expectRefused(gateway.setting("spec.listeners", .list([])), at: "spec.listeners", "must have at least 1 item")
        expectRefused(gateway.setting("spec.gatewayClassName", .string(String(repeating: "a", count: 254))),
            at: "spec.gatewayClassName", "Too long: may not be more than 253 bytes")
        expectRefused(gateway.setting("apiVersion", .string("gateway.networking.k8s.io/v2")), at: "apiVersion",
            "Unsupported value: \"gateway.networking.k8s.io/v2\": supported values: \"gateway.networking.k8s.io/v1\", \"gateway.networking.k8s.io/v1beta1\"")
    }

    @Test("hostnames: DNS names, one leading wildcard label at most, lowercase")
    func hostnames() {
        expectAccepted(gateway.setting("spec.listeners[0].hostname", .string("*.example.com")))
        let pattern = "should match '^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'"
        expectRefused(gateway.setting("spec.listeners[0].hostname", .string("Demo.example.com")), at: "spec.listeners[0].hostname", pattern)
        expectRefused(gateway.setting("spec.listeners[0].hostname", .string("a.*.example.com")), at: "spec.listeners[0].hostname", pattern)
    }

    @Test("protocols: a token or a domain-prefixed name")
    func protocols() {
        var tcp = gateway.setting("spec.listeners[0].protocol", .string("example.com/h3"))
        expectAccepted(tcp)
        tcp = gateway.setting("spec.listeners[0].protocol", .string("HTTP/2"))
        #expect(GatewayAPIValidator.errors(tcp).map(\.field) == ["spec.listeners[0].protocol"])
    }

    @Test("CEL: listener names are unique")
    func uniqueNames() {
        let copy = gateway.setting("spec.listeners[2]", Self.gateway["spec"]?["listeners"].flatMap(first))
            .setting("spec.listeners[2].hostname", .string("other.example.com"))
        expectRefused(copy, at: "spec.listeners[2].name", "Listener name must be unique within the Gateway")
        expectAccepted(copy.setting("spec.listeners[2].name", .string("other")))
    }

    @Test("CEL: port, protocol and hostname are unique together")
    func uniqueCombination() {
        let copy = gateway.setting("spec.listeners[2]", Self.gateway["spec"]?["listeners"].flatMap(first))
            .setting("spec.listeners[2].name", .string("again"))
        expectRefused(copy, at: "spec.listeners[2]", "Combination of port, protocol and hostname must be unique for each listener")
        expectAccepted(copy.setting("spec.listeners[2].port", .int(8080)))
    }

    @Test("CEL: TLS modes by protocol")
    func tlsModes() {
        let tls = ManifestValue.map([.init("mode", .string("Passthrough"))])
        expectRefused(gateway.setting("spec.listeners[0].tls", tls), at: "spec.listeners[0].tls", "tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']")
        expectRefused(gateway.setting("spec.listeners[1].tls.mode", .string("Passthrough")), at: "spec.listeners[1].tls.mode", "tls mode must be Terminate for protocol HTTPS")
        let tlsListener = gateway.setting("spec.listeners[0].protocol", .string("TLS"))
        expectRefused(tlsListener, at: "spec.listeners[0].tls", "tls mode must be set for protocol TLS")
        expectAccepted(tlsListener.setting("spec.listeners[0].tls", tls))
        expectRefused(gateway.setting("spec.listeners[1].tls.certificateRefs", nil), at: "spec.listeners[1].tls",
            "certificateRefs or options must be specified when mode is Terminate")
        expectAccepted(gateway.setting("spec.listeners[1].tls.certificateRefs", nil)
            .setting("spec.listeners[1].tls.options", .map([.init("example.com/cert-source", .string("vault"))])))
    }

    @Test("CEL: no hostname on TCP and UDP listeners")
    func tcpHostname() {
        let tcp = gateway.setting("spec.listeners[0].protocol", .string("TCP")).setting("spec.listeners[0].allowedRoutes.kinds", nil)
        expectRefused(tcp, at: "spec.listeners[0].hostname", "hostname must not be specified for protocols ['TCP', 'UDP']")
        expectAccepted(tcp.setting("spec.listeners[0].hostname", nil))
    }

    @Test("allowedRoutes: from is one of the API's values")
    func allowedRoutes() {
        expectAccepted(gateway.setting("spec.listeners[0].allowedRoutes.namespaces", .map([.init("from", .string("Same"))])))
        expectRefused(gateway.setting("spec.listeners[0].allowedRoutes.namespaces.from", .string("Any")),
            at: "spec.listeners[0].allowedRoutes.namespaces.from",
            "Unsupported value: \"Any\": supported values: \"All\", \"Selector\", \"Same\", \"None\"")
    }

    @Test("ReferenceGrant: from needs group, kind and namespace; kinds are names")
    func referenceGrant() {
        expectAccepted(Self.grant)
        expectRefused(Self.grant.setting("spec.from[0].namespace", nil), at: "spec.from[0].namespace", "Required value")
        expectRefused(Self.grant.setting("spec.to[0].kind", .string("Secret!")), at: "spec.to[0].kind", "should match '^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$'")
        expectRefused(Self.grant.setting("spec.to", .list([])), at: "spec.to", "must have at least 1 item")
    }

    private func first(_ list: ManifestValue) -> ManifestValue? {
        if case .list(let items) = list { return items.first }
        return nil
    }
}
