import GatewayKit
import Testing

/// The HTTPRoute's rules, each with an accepted and a refused example, made by changing
/// one field of kgate's render of a one-path route.
@Suite("Gateway API rules: HTTPRoute")
struct HTTPRouteRulesTests {
    static let route = GatewayAPIRenderer.manifest(ConversionSamples.convert([ConversionSamples.web]).routes[0])
    let route = HTTPRouteRulesTests.route
    let path: FieldPath = "spec.rules[0].matches[0].path.value"

    static func filter(_ type: String, _ body: String, _ fields: [ManifestField]) -> ManifestValue {
        .map([.init("type", .string(type)), .init(body, .map(fields))])
    }

    static let prefixRewrite = filter("URLRewrite", "urlRewrite", [
        .init("path", .map([.init("type", .string("ReplacePrefixMatch")), .init("replacePrefixMatch", .string("/v2"))])),
    ])
    static let redirect = filter("RequestRedirect", "requestRedirect", [.init("scheme", .string("https"))])

    @Test("path values of Exact and PathPrefix: each CEL rule refuses its case")
    func pathValues() {
        let scope = "when type one of ['Exact', 'PathPrefix']"
        let refused: [(String, String)] = [
            ("api", "value must be an absolute path and start with '/' \(scope)"),
            ("/a//b", "must not contain '//' \(scope)"),
            ("/a/./b", "must not contain '/./' \(scope)"),
            ("/a/../b", "must not contain '/../' \(scope)"),
            ("/a%2fb", "must not contain '%2f' \(scope)"),
            ("/a%2Fb", "must not contain '%2F' \(scope)"),
            ("/a#b", "must not contain '#' \(scope)"),
            ("/a/..", "must not end with '/..' \(scope)"),
            ("/a/.", "must not end with '/.' \(scope)"),
            ("/a b", "must only contain valid characters (matching ^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$) for types ['Exact', 'PathPrefix']"),
            ("/a%zz", "must only contain valid characters (matching ^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$) for types ['Exact', 'PathPrefix']"),
        ]
        for (value, reason) in refused {
            expectRefused(route.setting(path, .string(value)), at: path, reason)
        }
        for value in ["/", "/a%20b", "/api/v1.2/~user", "/a/..b", "/.well-known"] {
            expectAccepted(route.setting(path, .string(value)))
        }
    }

    @Test("RegularExpression paths are not held to the Exact and PathPrefix rules; other types are refused")
    func pathTypes() {
        let regex = route.setting("spec.rules[0].matches[0].path.type", .string("RegularExpression"))
        expectAccepted(regex.setting(path, .string("/api(/|$)(.*)")))
        expectRefused(route.setting("spec.rules[0].matches[0].path.type", .string("Regex")), at: "spec.rules[0].matches[0].path.type",
            "Unsupported value: \"Regex\": supported values: \"Exact\", \"PathPrefix\", \"RegularExpression\"")
    }

    @Test("CEL: a Service backendRef needs a port; another kind need not have one")
    func backendPort() {
        let ref: FieldPath = "spec.rules[0].backendRefs[0]"
        expectRefused(route.setting(ref.child("port"), nil), at: ref, "Must have port for Service reference")
        expectAccepted(route.setting(ref.child("port"), nil).setting(ref.child("group"), .string("example.com")).setting(ref.child("kind"), .string("Bucket")))
        expectRefused(route.setting(ref.child("weight"), .int(1_000_001)), at: ref.child("weight"), "must be between 0 and 1000000")
    }

    @Test("CEL: a RequestRedirect filter stands alone, without backendRefs and without URLRewrite")
    func redirects() {
        let withRedirect = route.setting("spec.rules[0].filters", .list([Self.redirect]))
        expectRefused(withRedirect, at: "spec.rules[0]", "RequestRedirect filter must not be used together with backendRefs")
        let alone = withRedirect.setting("spec.rules[0].backendRefs", nil)
        expectAccepted(alone)
        expectRefused(alone.setting("spec.rules[0].filters[1]", Self.filter("URLRewrite", "urlRewrite", [.init("hostname", .string("a.example.com"))])),
            at: "spec.rules[0].filters", "May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both")
        expectRefused(alone.setting("spec.rules[0].filters[0].requestRedirect.statusCode", .int(305)), at: "spec.rules[0].filters[0].requestRedirect.statusCode",
            "Unsupported value: 305: supported values: \"301\", \"302\", \"303\", \"307\", \"308\"")
    }

    @Test("CEL: ReplacePrefixMatch needs exactly one PathPrefix match")
    func replacePrefixMatch() {
        let rewrite = route.setting("spec.rules[0].filters", .list([Self.prefixRewrite]))
        expectAccepted(rewrite)
        expectRefused(rewrite.setting("spec.rules[0].matches[0].path.type", .string("Exact")), at: "spec.rules[0]",
            "When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified")
        expectRefused(rewrite.setting("spec.rules[0].filters[0].urlRewrite.path.replacePrefixMatch", nil), at: "spec.rules[0].filters[0].urlRewrite.path",
            "replacePrefixMatch must be specified when type is set to 'ReplacePrefixMatch'")
    }

    @Test("CEL: a filter carries the body of its type only, and a type at most once")
    func filterBodies() {
        let wrong = Self.filter("URLRewrite", "requestRedirect", [.init("scheme", .string("https"))])
        let errors = GatewayAPIValidator.errors(route.setting("spec.rules[0].filters", .list([wrong])))
        #expect(errors.map(\.reason).contains("filter.urlRewrite must be specified for URLRewrite filter.type"))
        #expect(errors.map(\.reason).contains("filter.requestRedirect must be nil if the filter.type is not RequestRedirect"))
        let header = Self.filter("RequestHeaderModifier", "requestHeaderModifier", [
            .init("set", .list([.map([.init("name", .string("X-A")), .init("value", .string("1"))])])),
        ])
        expectAccepted(route.setting("spec.rules[0].filters", .list([header])))
        expectRefused(route.setting("spec.rules[0].filters", .list([header, header])), at: "spec.rules[0].filters", "RequestHeaderModifier filter cannot be repeated")
        expectRefused(route.setting("spec.rules[0].filters", .list([header])).setting("spec.rules[0].filters[0].requestHeaderModifier.set[0].name", .string("X A")),
            at: "spec.rules[0].filters[0].requestHeaderModifier.set[0].name", "should match '^[A-Za-z0-9!#$%&'*+\\-.^_\\x60|~]+$'")
    }

    @Test("lists keyed by name refuse a name twice: header and query matches, set and add headers, removed headers")
    func duplicates() {
        let header = ManifestValue.map([.init("name", .string("X-A")), .init("value", .string("1"))])
        let match: FieldPath = "spec.rules[0].matches[0]"
        expectAccepted(route.setting(match.child("headers"), .list([header])))
        expectRefused(route.setting(match.child("headers"), .list([header, header])), at: match.child("headers").index(1).child("name"), "Duplicate value: \"X-A\"")
        expectRefused(route.setting(match.child("queryParams"), .list([header, header])), at: match.child("queryParams").index(1).child("name"), "Duplicate value: \"X-A\"")
        let modifier = Self.filter("RequestHeaderModifier", "requestHeaderModifier", [.init("remove", .list([.string("X-A"), .string("X-B")]))])
        let filters: FieldPath = "spec.rules[0].filters"
        expectAccepted(route.setting(filters, .list([modifier])))
        expectRefused(route.setting(filters, .list([modifier])).setting(filters.index(0).child("requestHeaderModifier").child("remove").index(1), .string("X-A")),
            at: filters.index(0).child("requestHeaderModifier").child("remove").index(1), "Duplicate value: \"X-A\"")
        expectRefused(route.setting(filters, .list([modifier])).setting(filters.index(0).child("requestHeaderModifier").child("set"), .list([header, header])),
            at: filters.index(0).child("requestHeaderModifier").child("set").index(1).child("name"), "Duplicate value: \"X-A\"")
    }

    @Test("a redirect's and a rewrite's hostname is precise: no wildcard")
    func preciseHostnames() {
        let alone = route.setting("spec.rules[0].filters", .list([Self.redirect])).setting("spec.rules[0].backendRefs", nil)
        let hostname: FieldPath = "spec.rules[0].filters[0].requestRedirect.hostname"
        expectAccepted(alone.setting(hostname, .string("new.example.com")))
        expectRefused(alone.setting(hostname, .string("*.example.com")), at: hostname,
            "should match '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'")
        let rewrite = route.setting("spec.rules[0].filters", .list([Self.filter("URLRewrite", "urlRewrite", [.init("hostname", .string("*.example.com"))])]))
        #expect(GatewayAPIValidator.errors(rewrite).map(\.field) == ["spec.rules[0].filters[0].urlRewrite.hostname"])
    }

    @Test("CEL: two references to the same parent need distinct sectionNames")
    func parentRefs() {
        let parent = Self.route["spec"]?["parentRefs"]
        guard case .list(let items)? = parent, let first = items.first else {
            Issue.record("the render has no parentRefs")
            return
        }
        let twice = route.setting("spec.parentRefs[1]", first)
        expectRefused(twice, at: "spec.parentRefs", "sectionName must be specified when parentRefs includes 2 or more references to the same parent")
        let sections = twice.setting("spec.parentRefs[0].sectionName", .string("a")).setting("spec.parentRefs[1].sectionName", .string("b"))
        expectAccepted(sections)
        expectRefused(sections.setting("spec.parentRefs[1].sectionName", .string("a")), at: "spec.parentRefs",
            "sectionName must be unique when parentRefs includes 2 or more references to the same parent")
    }

    @Test("limits: 16 rules a route, hostnames as the listeners' ones")
    func limits() {
        guard case .list(let rules)? = Self.route["spec"]?["rules"], let rule = rules.first else {
            Issue.record("the render has no rules")
            return
        }
        expectAccepted(route.setting("spec.rules", .list(Array(repeating: rule, count: 16))))
        expectRefused(route.setting("spec.rules", .list(Array(repeating: rule, count: 17))), at: "spec.rules", "Too many: 17: must have at most 16 items")
        expectRefused(route.setting("spec.hostnames[0]", .string("-a.example.com")), at: "spec.hostnames[0]",
            "should match '^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'")
        expectRefused(route.setting("spec.rules[0].matches[0].method", .string("FETCH")), at: "spec.rules[0].matches[0].method",
            "Unsupported value: \"FETCH\": supported values: \"GET\", \"HEAD\", \"POST\", \"PUT\", \"DELETE\", \"CONNECT\", \"OPTIONS\", \"TRACE\", \"PATCH\"")
    }
}
