import GatewayKit
import Testing

@testable import GatewayRuntime

/// Every ingress-nginx annotation that restricts access keeps its route from being
/// served locally; every other one is served without and named.
struct AnnotationVerdictTests {
    static let refused = [
        "auth-type", "auth-secret", "auth-secret-type", "auth-realm", "auth-url", "auth-method", "auth-signin",
        "auth-signin-redirect-param", "auth-response-headers", "auth-request-redirect", "auth-cache-key",
        "auth-proxy-set-headers", "auth-snippet", "enable-global-auth", "auth-tls-secret", "auth-tls-verify-client",
        "auth-tls-verify-depth", "auth-tls-error-page", "auth-tls-pass-certificate-to-upstream", "auth-tls-match-cn",
        "satisfy", "enable-modsecurity",
        "modsecurity-snippet", "modsecurity-transaction-id", "enable-owasp-core-rules", "configuration-snippet",
        "server-snippet", "stream-snippet",
    ]
    static let notApplied = [
        "rewrite-target", "app-root", "use-regex", "ssl-redirect", "force-ssl-redirect", "backend-protocol",
        "proxy-body-size", "proxy-read-timeout", "enable-cors", "cors-allow-origin", "canary", "canary-weight",
        "limit-rps", "limit-connections", "limit-whitelist", "limit-allowlist", "upstream-hash-by", "affinity",
        "permanent-redirect", "custom-http-errors", "default-backend", "x-forwarded-prefix",
    ]

    @Test(arguments: refused)
    func accessControlIsRefused(name: String) {
        guard case .refused(let reason)? = IngressNginxAnnotations.verdict(key: IngressNginxAnnotations.prefix + name, value: "on") else {
            Issue.record("\(name) is not refused")
            return
        }
        #expect(reason.contains("not"))
    }

    @Test(arguments: notApplied)
    func everythingElseIsNamedAsNotApplied(name: String) {
        #expect(IngressNginxAnnotations.verdict(key: IngressNginxAnnotations.prefix + name, value: "on") == .notAppliedLocally)
    }

    @Test func otherAnnotationsAreNotTheGatewaysBusiness() {
        #expect(IngressNginxAnnotations.verdict(key: KubeSphereAnnotation.alias, value: "Site") == nil)
        #expect(IngressNginxAnnotations.verdict(key: "nginx.ingress.kubernetes.io.evil/auth-url", value: "x") == nil)
        #expect(IngressNginxAnnotations.verdict(key: KubeSphereAnnotation.serviceUpstream, value: "true") == .applied)
    }

    @Test(arguments: [
        ("10.0.0.0/8", ["10.0.0.0/8"]),
        (" 10.0.0.0/8 , 127.0.0.1,::1/128, 2001:db8::/32 ", ["10.0.0.0/8", "127.0.0.1", "::1/128", "2001:db8::/32"]),
        ("10.0.0.0/33", nil), ("::/129", nil), ("10.0.0.0/", nil), ("10.0.0/8", nil), ("all", nil), ("", nil),
        ("10.0.0.0/8; deny all", nil), ("1.2.3.4/8/8", nil), (",", nil),
    ] as [(String, [String]?)])
    func sourceRangesAreAppliedWhenTheyParseAndRefusedWhenNot(value: String, ranges: [String]?) {
        #expect(SourceRanges.parse(value) == ranges)
        for name in ["whitelist-source-range", "allowlist-source-range", "denylist-source-range"] {
            let verdict = IngressNginxAnnotations.verdict(key: IngressNginxAnnotations.prefix + name, value: value)
            if ranges == nil {
                guard case .refused(let reason)? = verdict else {
                    Issue.record("\(name): \(value) is not refused")
                    continue
                }
                #expect(reason.hasSuffix("is not a list of IP addresses or CIDR ranges"))
            } else {
                #expect(verdict == .applied)
            }
        }
    }

    @Test func sourceRangesOfARoute() {
        let prefix = IngressNginxAnnotations.prefix
        #expect(SourceRanges.of([:]).isEmpty)
        #expect(
            SourceRanges.of([prefix + "whitelist-source-range": "10.0.0.0/8", prefix + "denylist-source-range": "10.1.0.0/16"])
                == SourceRanges(allow: ["10.0.0.0/8"], deny: ["10.1.0.0/16"]))
        // The newer name wins over the older one.
        #expect(
            SourceRanges.of([prefix + "whitelist-source-range": "10.0.0.0/8", prefix + "allowlist-source-range": "127.0.0.1"])
                .allow == ["127.0.0.1"])
    }

    @Test func oneCallGivesARoutesAssessment() {
        let assessment = IngressNginxAnnotations.assess([
            "nginx.ingress.kubernetes.io/whitelist-source-range": "10.0.0.0/8",
            "nginx.ingress.kubernetes.io/auth-url": "http://auth",
            "nginx.ingress.kubernetes.io/rewrite-target": "/",
            "nginx.ingress.kubernetes.io/enable-cors": "true",
            KubeSphereAnnotation.alias: "Site",
        ])
        #expect(!assessment.isServable)
        #expect(assessment.refused.map(\.key) == ["nginx.ingress.kubernetes.io/auth-url"])
        #expect(assessment.notAppliedLocally == ["nginx.ingress.kubernetes.io/enable-cors", "nginx.ingress.kubernetes.io/rewrite-target"])
        #expect(assessment.refusal?.hasPrefix("annotation nginx.ingress.kubernetes.io/auth-url: authentication is not implemented locally") == true)
        #expect(IngressNginxAnnotations.assess([:]) == IngressNginxAnnotations.Assessment())
    }

    @Test func aRouteThatRestrictsAccessIsNotServedOpen() throws {
        var inventory = SampleInventory.make()
        inventory.routes = inventory.routes.map { route in
            var route = route
            if route.name == "site" { route.metadata.annotations["nginx.ingress.kubernetes.io/auth-type"] = "basic" }
            if route.name == "api" {
                route.metadata.annotations["nginx.ingress.kubernetes.io/rewrite-target"] = "/"
                route.metadata.annotations["nginx.ingress.kubernetes.io/whitelist-source-range"] = "10.0.0.0/8"
            }
            return route
        }
        let plan = try NginxPlan.make(projects: ["web"], inventory: inventory)
        #expect(!plan.sites[0].servers.contains { $0.host == "*.apps.example.com" })
        #expect(plan.notes.contains {
            $0.hasPrefix("route web/site is not served: annotation nginx.ingress.kubernetes.io/auth-type: authentication")
        })
        #expect(plan.notes.contains("route web/api: not applied locally: nginx.ingress.kubernetes.io/rewrite-target"))
        // The source range is applied to every location of that route, and only there.
        let www = try #require(plan.sites[0].servers.first { $0.host == "www.example.com" })
        let api = www.locations.filter { $0.match.path.hasPrefix("/api") || $0.match.path == "/healthz" }
        #expect(!api.isEmpty && api.allSatisfy { $0.sources.allow == ["10.0.0.0/8"] })
        #expect(www.locations.filter { $0.match.path == "/" }.allSatisfy { $0.sources.isEmpty })
        let config = try NginxConfig.render(plan, layout: NginxLayout(folder: "/srv/kgate-runtime"))
        #expect(config.contains(
            "location = \"/healthz\" {\n            set $kgate_route \"web/api\";\n            set $kgate_path \"/healthz\";\n"
                + "            allow \"10.0.0.0/8\";\n            deny all;\n            return 503;"))
    }
}
