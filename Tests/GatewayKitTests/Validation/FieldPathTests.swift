import GatewayKit
import Testing

/// Field paths are segments; text still parses into them and prints back unchanged.
@Suite struct FieldPathTests {
    @Test func builtPathsAreSegments() {
        let path = FieldPath("spec.rules").index(0).child("http").child("paths").index(1).child("path")
        #expect(
            path.segments == [
                .field("spec"), .field("rules"), .index(0), .field("http"), .field("paths"), .index(1), .field("path"),
            ])
        #expect(path.description == "spec.rules[0].http.paths[1].path")
    }

    @Test(arguments: [
        ("spec.rules[0].host", [FieldPath.Segment.field("spec"), .field("rules"), .index(0), .field("host")]),
        ("metadata.annotations[kubesphere.io/alias-name]", [.field("metadata"), .field("annotations"), .key("kubesphere.io/alias-name")]),
        ("spec.tls[2].hosts[0]", [.field("spec"), .field("tls"), .index(2), .field("hosts"), .index(0)]),
        ("items[3]", [.field("items"), .index(3)]),
        ("data[a]b]", [.field("data"), .key("a]b")]),
        ("line 3, column 4", [.field("line 3, column 4")]),
        ("", []),
    ])
    func textParsesIntoSegmentsAndPrintsTheSame(_ text: String, _ segments: [FieldPath.Segment]) {
        let path = FieldPath(text)
        #expect(path.segments == segments)
        #expect(path.description == text)
        // A problem of the whole object (no path) is its reason alone.
        #expect(FieldError(path, "bad").description == (text.isEmpty ? "bad" : "\(text): bad"))
    }

    @Test func textThatIsNoPathStaysWhole() {
        for text in ["a..b", ".a", "a.", "a[", "a[0]b", "[x", "a[01]"] {
            #expect(FieldPath(text).description == text)
        }
    }

    @Test func stringAndBuiltPathsAreEqual() {
        let literal: FieldPath = "spec.rules[0].host"
        #expect(literal == FieldPath("spec.rules").index(0).child("host"))
        #expect(FieldPath("metadata.labels").key("app") == FieldPath("metadata.labels[app]"))
    }

    @Test func controlCharactersInKeysArePrintedEscaped() {
        let path = FieldPath("metadata.annotations").key("a\nb")
        #expect(path.segments.last == .key("a\nb"))
        #expect(!path.description.contains("\n"))
    }

    @Test func withinComparesSegments() {
        let rule = FieldPath("spec.rules").index(1)
        #expect(FieldPath("spec.rules[1].host").isWithin(rule))
        #expect(!FieldPath("spec.rules[10].host").isWithin(rule))
        #expect(FieldPath("spec.rules[1].http.paths[0]").relative(to: rule).map(Array.init) == [.field("http"), .field("paths"), .index(0)])
    }
}
