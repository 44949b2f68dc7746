import GatewayKit
import Testing

@Suite("Paths")
struct PathRulesTests {
    @Test(arguments: ["/", "/api", "/api/v1", "/a.b", "/a_b-c~d", "/A/Z/0/9", "/.well-known/acme", "/a/b/"])
    func exactAndPrefixAccept(_ path: String) {
        #expect(Validate.pathReasons(path, pathType: .exact) == [])
        #expect(Validate.pathReasons(path, pathType: .prefix) == [])
    }

    @Test(arguments: [
        ("api", "must be an absolute path"),
        ("/a//b", "must not contain '//'"),
        ("/a/./b", "must not contain '/./'"),
        ("/a/../b", "must not contain '/../'"),
        ("/a%2fb", "must not contain '%2f'"),
        ("/a%2Fb", "must not contain '%2F'"),
        ("/a/..", "cannot end with '/..'"),
        ("/a/.", "cannot end with '/.'"),
        ("", "must be an absolute path"),
    ])
    func kubernetesRules(_ path: String, _ reason: String) {
        #expect(Validate.pathReasons(path, pathType: .prefix).contains(reason))
        #expect(Validate.pathReasons(path, pathType: .exact).contains(reason))
    }

    @Test(arguments: [
        ("/a b", "a space"), ("/a;b", "';'"), ("/a{b", "'{'"), ("/a}b", "'}'"), ("/a\"b", "'\"'"), ("/a'b", "'''"),
        ("/a#b", "'#'"), ("/a$b", "'$'"), ("/a\\b", "'\\'"), ("/a\nb", "'\\n'"), ("/a\rb", "'\\r'"),
        ("/é", "'é'"), ("/a?b", "'?'"), ("/a%20b", "'%'"), ("/(.*)", "'('"), ("/a*", "'*'"),
    ])
    func safetyRule(_ path: String, _ character: String) {
        let expected =
            "must not contain \(character): Exact and Prefix paths may hold only letters, digits and '.', '_', '~', '-', '/'"
        #expect(Validate.pathReasons(path, pathType: .prefix).contains(expected))
        #expect(Validate.pathReasons(path, pathType: .exact).contains(expected))
    }

    /// Every path of up to six characters from `/`, `.`, `a`, `%` and `é`: accepted exactly
    /// when Kubernetes' rules, as written here, accept it (valid paths are found in one pass
    /// over their bytes, invalid ones by each rule).
    @Test func everyShortPathIsJudgedAsTheRulesSay() {
        let alphabet: [Character] = ["/", ".", "a", "%", "é"]
        var paths: [String] = [""]
        var frontier: [String] = [""]
        for _ in 0..<6 {
            frontier = frontier.flatMap { path in alphabet.map { path + String($0) } }
            paths += frontier
        }
        for path in paths {
            let valid =
                path.hasPrefix("/") && !["//", "/./", "/../", "%2f", "%2F"].contains { path.contains($0) }
                && !path.hasSuffix("/..") && !path.hasSuffix("/.") && path.allSatisfy { "/.a".contains($0) }
            #expect(Validate.pathReasons(path, pathType: .prefix).isEmpty == valid, "\(path)")
            #expect(Validate.pathReasons(path, pathType: .exact).isEmpty == valid, "\(path)")
        }
    }

    /// The empty path too: Kubernetes allows it for this type only.
    @Test(arguments: ["", "/", "/api", "/(.*)", "/api/(v1|v2)/.*", "/a//b", "/a%2fb", "/?x=1", "/a*"])
    func implementationSpecificAccepts(_ path: String) {
        #expect(Validate.pathReasons(path, pathType: .implementationSpecific) == [])
    }

    @Test(arguments: [
        ("api", "must be an absolute path"),
        ("/a b", "must not contain a space: the path is written into nginx.conf"),
        ("/a\tb", "must not contain '\\t': the path is written into nginx.conf"),
        ("/a;b", "must not contain ';': the path is written into nginx.conf"),
        ("/a{1}", "must not contain '{': the path is written into nginx.conf"),
        ("/a}", "must not contain '}': the path is written into nginx.conf"),
        ("/'a'", "must not contain ''': the path is written into nginx.conf"),
        ("/\"a\"", "must not contain '\"': the path is written into nginx.conf"),
        ("/`a`", "must not contain '`': the path is written into nginx.conf"),
        ("/a#b", "must not contain '#': the path is written into nginx.conf"),
        ("/$host", "must not contain '$': the path is written into nginx.conf"),
        ("/a\\b", "must not contain '\\': the path is written into nginx.conf"),
        ("/a\nb", "must not contain '\\n': the path is written into nginx.conf"),
        ("/ü", "must not contain 'ü': the path is written into nginx.conf"),
    ])
    func implementationSpecificRefuses(_ path: String, _ reason: String) {
        #expect(Validate.pathReasons(path, pathType: .implementationSpecific).contains(reason))
    }

    @Test func pathTypeIsRequired() {
        let errors = Validate.httpPath("/", pathType: nil, at: "spec.rules[0].http.paths[1]")
        #expect(errors == [FieldError("spec.rules[0].http.paths[1].pathType", "pathType must be specified")])
    }

    @Test(arguments: PathType.allCases)
    func pathTypeReadsExactly(_ type: PathType) {
        #expect(Validate.pathType(type.rawValue, at: "pathType") == .success(type))
    }

    @Test(arguments: ["prefix", "PREFIX", "Regex", " Exact", ""])
    func pathTypeRefuses(_ text: String) {
        guard case .failure(let error) = Validate.pathType(text, at: "spec.rules[0].http.paths[0].pathType") else {
            Issue.record("\(text) accepted")
            return
        }
        #expect(error.field == "spec.rules[0].http.paths[0].pathType")
        #expect(text.isEmpty || error.reason.hasSuffix(#"supported values are "Exact", "Prefix", "ImplementationSpecific""#))
    }
}
