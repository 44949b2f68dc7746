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
        "whitelist-source-range", "allowlist-source-range", "denylist-source-range", "satisfy", "enable-modsecurity",
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
        guard case .refused(let reason)? = IngressNginxAnnotations.verdict(key: IngressNginxAnnotations.prefix + name) else {
            Issue.record("\(name) is not refused")
            return
        }
        #expect(reason.contains("not"))
    }

    @Test(arguments: notApplied)
    func everythingElseIsNamedAsNotApplied(name: String) {
        #expect(IngressNginxAnnotations.verdict(key: IngressNginxAnnotations.prefix + name) == .notAppliedLocally)
    }

    @Test func otherAnnotationsAreNotTheGatewaysBusiness() {
        #expect(IngressNginxAnnotations.verdict(key: KubeSphereAnnotation.alias) == nil)
        #expect(IngressNginxAnnotations.verdict(key: "nginx.ingress.kubernetes.io.evil/auth-url") == nil)
        #expect(IngressNginxAnnotations.verdict(key: KubeSphereAnnotation.serviceUpstream) == .applied)
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
        #expect(assessment.refused.map(\.key) == ["nginx.ingress.kubernetes.io/auth-url", "nginx.ingress.kubernetes.io/whitelist-source-range"])
        #expect(assessment.notAppliedLocally == ["nginx.ingress.kubernetes.io/enable-cors", "nginx.ingress.kubernetes.io/rewrite-target"])
        #expect(assessment.refusal?.hasPrefix("annotation nginx.ingress.kubernetes.io/auth-url: authentication is not implemented locally") == true)
        #expect(IngressNginxAnnotations.assess([:]) == IngressNginxAnnotations.Assessment())
    }

    @Test func aRouteThatRestrictsAccessIsNotServedOpen() throws {
        var inventory = SampleInventory.make()
        inventory.routes = inventory.routes.map { route in
            var route = route
            if route.name == "site" { route.metadata.annotations["nginx.ingress.kubernetes.io/auth-type"] = "basic" }
            if route.name == "api" { route.metadata.annotations["nginx.ingress.kubernetes.io/rewrite-target"] = "/" }
            return route
        }
        let plan = try NginxPlan.make(projects: ["web"], inventory: inventory)
        #expect(!plan.sites[0].servers.contains { $0.host == "*.apps.example.com" })
        #expect(plan.notes.contains {
            $0.hasPrefix("route web/site is not served: annotation nginx.ingress.kubernetes.io/auth-type: authentication")
        })
        #expect(plan.notes.contains("route web/api: not applied locally: nginx.ingress.kubernetes.io/rewrite-target"))
    }
}
