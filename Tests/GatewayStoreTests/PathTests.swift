import Testing

@testable import GatewayStore

/// A path's folder and base name, split at its last `/` separator.
@Suite struct PathTests {
    @Test func splitAtTheLastSeparator() {
        #expect(Path.folder(of: "/ws/web/ingress-a.yaml") == "/ws/web")
        #expect(Path.base(of: "/ws/web/ingress-a.yaml") == "ingress-a.yaml")
        #expect(Path.folder(of: "/ingress-a.yaml") == "/")
        #expect(Path.folder(of: "ingress-a.yaml") == ".")
        #expect(Path.base(of: "ingress-a.yaml") == "ingress-a.yaml")
        #expect(Path.folder(of: "/ws/é/ü.yaml") == "/ws/é")
    }

    /// A name that starts with a combining mark makes the `/` before it part of one
    /// character with the mark: the separator is still found.
    @Test func aNameStartingWithACombiningMark() {
        let path = "/ws/web/\u{301}x.yaml"
        #expect(Path.folder(of: path) == "/ws/web")
        #expect(Path.base(of: path) == "\u{301}x.yaml")
    }
}
