import Testing

@testable import GatewayStore

@Suite struct WorkspaceLayoutTests {
    @Test(arguments: [
        ("/w/demo/ingress-web.yaml", "demo/ingress-web.yaml"),
        ("/w/kgate-settings.yaml", "kgate-settings.yaml"),
        ("/w/项目/ingress-网关.yaml", "项目/ingress-网关.yaml"),
        ("/w/", ""),
        ("/w", "/w"),
        ("/wx/demo/a.yaml", "/wx/demo/a.yaml"),
        ("/other/w/a.yaml", "/other/w/a.yaml"),
        ("relative/a.yaml", "relative/a.yaml"),
    ])
    func relativeToTheRoot(path: String, expected: String) {
        #expect(WorkspaceLayout(root: "/w").relative(path) == expected)
    }

    @Test func aRootWithCombiningCharactersIsComparedByBytes() {
        // "é" as one scalar and as e + U+0301 are equal Characters but other bytes: a file
        // name is its bytes.
        let layout = WorkspaceLayout(root: "/caf\u{E9}")
        #expect(layout.relative("/caf\u{E9}/a.yaml") == "a.yaml")
        #expect(layout.relative("/cafe\u{301}/a.yaml") == "/cafe\u{301}/a.yaml")
    }
}
