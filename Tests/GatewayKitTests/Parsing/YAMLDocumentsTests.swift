import Testing

@testable import GatewayKit

/// Which stretches of a file are documents: only those with a line besides blanks,
/// comments, directives and markers.
@Suite struct YAMLDocumentsTests {
    private func contents(_ text: String) -> [String] { YAMLDocuments.split(text).map { String($0.text) } }

    @Test func commentsBlanksAndMarkersAloneAreNoDocument() {
        #expect(contents("").isEmpty)
        #expect(contents("# only a comment\n\n   \n").isEmpty)
        #expect(contents("---\n# c\n---\n...\n%YAML 1.2\n").isEmpty)
        #expect(contents("--- # a marker with a comment\n").isEmpty)
    }

    @Test func aDocumentAfterCommentsIsFound() {
        let found = YAMLDocuments.split("# header\n\n---\n# about a\nkind: A\n---\n\n---\nkind: B\n")
        #expect(found.map { String($0.text).contains("kind: A") } == [true, false])
        #expect(found.map { String($0.text).contains("kind: B") } == [false, true])
        #expect(found.map(\.firstLine) == [3, 8])
        #expect(found.map(\.index) == [0, 2])
    }

    @Test func crlfLinesReadAsLFLines() {
        #expect(contents("# comment\r\n\r\n---\r\n").isEmpty)
        #expect(contents("# comment\r\nkind: A\r\n").count == 1)
        #expect(contents("\u{FEFF}kind: A\n").count == 1)
    }
}
