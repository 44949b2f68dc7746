import GatewayKit
import Testing

@Suite("Metadata and text")
struct MetadataRulesTests {
    @Test func annotationKeysAreReadInLowerCase() {
        #expect(Validate.annotations(["Example.com/Owner": "x", "MyKey": "y"], at: "metadata.annotations") == [])
        #expect(paths(Validate.labels(["Example.com/Owner": "x"], at: "metadata.labels")) == ["metadata.labels[Example.com/Owner]"])
    }

    @Test func freeTextTakesAnyPrintableCharacter() {
        let text = "网关 – \"quoted\" {braces}; #hash $dollar \\ 🙂"
        #expect(Validate.singleLine(text) == [])
        #expect(Validate.annotations(["kubesphere.io/description": text], at: "metadata.annotations") == [])
    }

    @Test(arguments: [
        ("a\nb", ["must not contain a line break ('\\r' or '\\n')"]),
        ("a\r", ["must not contain a line break ('\\r' or '\\n')"]),
        ("a\tb", ["must not contain control characters (\\t)"]),
        ("\u{1B}[2J", ["must not contain control characters (\\u{1B})"]),
        ("\u{202E}txt", ["must not contain control characters (\\u{202E})"]),
        ("a\n\u{7}", ["must not contain a line break ('\\r' or '\\n')", "must not contain control characters (\\u{7})"]),
    ])
    func singleLineRefuses(_ text: String, _ expected: [String]) {
        #expect(Validate.singleLine(text) == expected)
    }

    @Test func aliasAndDescriptionCountCharacters() {
        let field = FieldPath("metadata.annotations")
        #expect(Validate.annotations([KubeSphereAnnotation.alias: repeated("🙂", 63)], at: field) == [])
        #expect(Validate.annotations([KubeSphereAnnotation.description: repeated("é", 256)], at: field) == [])
        #expect(Validate.annotations([KubeSphereAnnotation.description: repeated("é", 257)], at: field) == [
            FieldError("metadata.annotations[kubesphere.io/description]", "must be no more than 256 characters")
        ])
    }

    @Test func snippetsAreRefused() {
        let errors = Validate.annotations(["nginx.ingress.kubernetes.io/server-snippet": "x"], at: "metadata.annotations")
        #expect(errors == [FieldError("metadata.annotations[nginx.ingress.kubernetes.io/server-snippet]", Validate.snippetReason)])
        #expect(Validate.annotations(["nginx.ingress.kubernetes.io/rewrite-target": "/$1"], at: "metadata.annotations") == [])
    }

    @Test func pathsOfHostileKeysStayOnOneLine() {
        #expect(FieldPath("metadata.labels").key("a\nb\u{1B}").description == #"metadata.labels[a\nb\u{1B}]"#)
        #expect(FieldPath("metadata.labels").key("app").description == "metadata.labels[app]")
    }

    @Test func reasonsQuoteValuesInert() {
        guard case .failure(let error) = Validate.gatewayType("Node\nPort\u{1B}\"") else {
            Issue.record("accepted")
            return
        }
        #expect(error.reason == #"unsupported value "Node\nPort\u{1B}\"": supported values are "NodePort", "LoadBalancer""#)
    }
}
