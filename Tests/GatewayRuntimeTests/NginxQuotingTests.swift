import TestSupport
import GatewayKit
import Testing

@testable import GatewayRuntime

/// The one quoting function, and the promise that hostile text from the model is either
/// refused by validation or written inert: it stays one nginx token, equal to the input.
@Suite struct NginxQuotingTests {
    static let hostile: [String] = [
        "a;b", "a{b}", "a}b", "\"quoted\"", "'single'", "back\\slash", "a b", "a\tb", "a#b", "$host", "a\nb",
        "a\rb", "x\"; return 200 \"pwned", "/p { return 200; } location /q", "/a # comment", "\u{0}", "é",
        "\u{2028}", "\\\"", "\\", "\";\n", "`cmd`", "~*", "=", "@named", "^~",
    ]

    @Test(arguments: hostile)
    func quotedValueStaysOneTokenOrIsRefused(_ value: String) throws {
        guard let token = try? NginxToken(value) else {
            #expect(value.contains("$") || value.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x2028 })
            return
        }
        let tokens = try NginxTokenizer.tokens("server_name \(token.quoted);")
        #expect(tokens == [.word("server_name"), .word(value), .semicolon])
    }

    @Test func refusesWhatQuotingCannotMakeInert() {
        for value in ["", "$host", "a$b", "a\nb", "a\rb", "a\tb", "nul\u{0}", "del\u{7F}", "c1\u{85}", "ls\u{2028}"] {
            #expect(throws: NginxValueRefused.self) { try NginxToken(value) }
        }
    }

    @Test func refusalNeverRepeatsTheValue() {
        do {
            _ = try NginxToken("secret$key-material")
            Issue.record("accepted a '$'")
        } catch {
            #expect(!error.description.contains("secret"))
        }
    }

    /// Random strings over an alphabet of nginx's special characters: every one is refused
    /// or reads back as itself.
    @Test func randomStringsRoundTripThroughTheTokenizer() throws {
        var generator = SeededGenerator(seed: 0x6b67_6174_65)
        let alphabet = Array("ab/; {}\"'\\#$\t\n\r~=^@*().|é中\u{0}")
        for _ in 0..<2000 {
            let length = Int.random(in: 1...12, using: &generator)
            let value = String((0..<length).map { _ in alphabet.randomElement(using: &generator) ?? "a" })
            guard let token = try? NginxToken(value) else { continue }
            let tokens = try NginxTokenizer.tokens("proxy_pass \(token.quoted);")
            #expect(tokens == [.word("proxy_pass"), .word(value), .semicolon], "value \(value.debugDescription)")
        }
    }

    /// Routes carrying hostile text in each field: validation refuses the route, the
    /// renderer leaves it out with a note, and none of its text reaches the config.
    @Test(arguments: hostile)
    func hostileRouteFieldsNeverReachTheConfig(_ value: String) throws {
        let variants: [(String, Route)] = [
            ("host", hostileRoute(host: "x\(value).example.com")),
            ("path", hostileRoute(path: "/p\(value)", type: .prefix)),
            ("path", hostileRoute(path: "/p\(value)", type: .implementationSpecific)),
            ("service", hostileRoute(service: "svc\(value)")),
            ("port name", hostileRoute(portName: "p\(value)")),
            ("secret", hostileRoute(secret: "s\(value)")),
        ]
        for (field, route) in variants {
            var inventory = SampleInventory.make()
            inventory.routes = [route]
            let plan = try NginxPlan.make(projects: ["web"], inventory: inventory)
            let config = try NginxConfig.render(plan, layout: NginxLayout(folder: "/tmp/kgate-test"))
            let tokens = try NginxTokenizer.tokens(config)
            if Validate.route(route).isEmpty {
                // Accepted by validation (an ImplementationSpecific path may hold `(`, `*`…):
                // then it is one token, equal to itself.
                let path = route.rules[0].paths[0].path
                #expect(tokens.contains(.word(path)) || tokens.contains(.word(path + "/")) || field != "path")
            } else {
                #expect(plan.notes.contains { $0.hasPrefix("route web/hostile is not served") }, "\(field)")
                let written = Set(tokens)
                #expect(!written.contains(.word(route.rules[0].host)))
                #expect(field != "path" || !written.contains(.word(route.rules[0].paths[0].path)))
                #expect(!tokens.contains(.word("pwned")))
            }
        }
    }

    private func hostileRoute(
        host: String = "ok.example.com", path: String = "/", type: PathType = .prefix, service: String = "site",
        portName: String? = nil, secret: String? = nil
    ) -> Route {
        let backend = portName.map { RouteBackend(service: service, portName: $0) } ?? RouteBackend(service: service, port: 80)
        return Route(
            metadata: ObjectMeta(name: "hostile", namespace: "web"),
            rules: [RouteRule(host: host, paths: [RoutePath(path: path, pathType: type, backend: backend)])],
            tls: secret.map { [RouteTLS(hosts: [host], secretName: $0)] } ?? [])
    }
}

