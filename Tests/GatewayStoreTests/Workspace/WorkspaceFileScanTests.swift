import Foundation
import Testing
import TestSupport

@testable import GatewayStore

/// The listing a read walks is in path order, as `sorted()` gives it, whatever the names:
/// the first read finds index entries by walking the listing and the index together, and
/// the first file that defines an object wins.
@Suite struct WorkspaceFileScanTests {
    /// Names whose order as bytes and as text are easy to get wrong: a folder whose name
    /// begins another's, bytes before and after `/`, digits, case, long shared prefixes,
    /// and (in the second case) names that are not ASCII, one written with a combining accent.
    static let nameSets: [[String]] = [
        [
            "a.yaml", "a-b.yaml", "a/x.yaml", "a/y/z.yaml", "a.b/c.yaml", "a-/d.yaml", "a0.yaml", "A.yaml", "b/a.yaml",
            "ingress-r00010.yaml", "ingress-r00002.yaml", "ingress-r000100000000000000001.yaml",
            "ingress-r000100000000000000000.yaml", "ingress-r0001000000000000000.yaml", "z/ingress-r0001000000000000000/a.json",
            "~.yml", " space.yaml",
        ],
        ["caf\u{E9}.yaml", "cafe\u{301}x.yaml", "cafe.yaml", "項目/ingress-網關.yaml", "zz.yaml", "Éa/b.yaml", "a/b.yaml"],
    ]

    @Test("a scan lists manifests in the order their paths sort", arguments: nameSets)
    func scanIsInPathOrder(names: [String]) throws {
        let folder = try TemporaryFolder("scan-order")
        for name in names { try folder.write(name, "kind: ConfigMap\n") }
        try folder.write("not-a-manifest.txt", "")
        try folder.write(".hidden.yaml", "")
        let listed = WorkspaceFileScan.scan(root: folder.path).files.map(\.path)
        let expected = names.map { "\(folder.path)/\($0)" }.sorted()
        #expect(listed == expected)
    }

    @Test("the order of many ASCII names sharing a long prefix is the text order")
    func manyNamesInTextOrder() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("-./0189AZaz_~")
        let keys = (0..<3000).map { _ in
            "ingress-" + String((0..<Int.random(in: 0...20, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
        }
        let ordered = PathOrder.sorted(keys).map { keys[$0] }
        #expect(ordered == keys.sorted())
    }
}
