import Testing

@testable import GatewayKit

/// A file of many documents is read on several cores (issue 15: `apply -f` of 10,000
/// Ingresses): objects and problems come out in document order, as read one by one.
@Suite struct ManyDocumentsTests {
    /// `count` documents: an Ingress each, but every seventh does not parse (a tab in its
    /// indentation), every eleventh has an unknown pathType, and one in thirteen is empty.
    static func manifests(_ count: Int) -> String {
        (0..<count).map { i -> String in
            if i % 13 == 12 { return "# nothing here\n" }
            if i % 7 == 0 { return "kind: Ingress\nmetadata:\n\tname: broken-\(i)\n" }
            let pathType = i % 11 == 0 ? "Sideways" : "Prefix"
            return """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata:
                  name: route-\(i)
                  namespace: web
                spec:
                  rules:
                  - host: r\(i).example.com
                    http:
                      paths:
                      - path: /
                        pathType: \(pathType)
                        backend:
                          service:
                            name: web
                            port:
                              number: 80

                """
        }.joined(separator: "---\n")
    }

    @Test func objectsAndProblemsComeInDocumentOrder() {
        let count = 1_000
        let text = Self.manifests(count)
        let parsed = ManifestParser.parse(text, source: "routes.yaml")
        let expectedNames = (0..<count).filter { $0 % 13 != 12 && $0 % 7 != 0 && $0 % 11 != 0 }.map { "route-\($0)" }
        #expect(parsed.objects.map(\.name) == expectedNames)
        let expectedProblems = (0..<count).filter { $0 % 13 != 12 && ($0 % 7 == 0 || $0 % 11 == 0) }
        #expect(parsed.problems.map(\.document) == expectedProblems)
        #expect(parsed.problems.allSatisfy { $0.source == "routes.yaml" })
        // The same documents read one at a time give the same objects, and the same
        // problems (but for the line numbers of those that do not parse).
        let oneByOne = text.components(separatedBy: "---\n").map { ManifestParser.parse($0, source: "routes.yaml") }
        #expect(oneByOne.flatMap(\.objects) == parsed.objects)
        #expect(oneByOne.flatMap(\.problems).count == parsed.problems.count)
        let fieldErrors = { (problems: [ManifestProblem]) in
            problems.map(\.errors).filter { !$0.contains { "\($0.field)".hasPrefix("line ") } }
        }
        #expect(fieldErrors(oneByOne.flatMap(\.problems)) == fieldErrors(parsed.problems))
        #expect(fieldErrors(parsed.problems).count == expectedProblems.filter { $0 % 7 != 0 }.count)
    }
}
