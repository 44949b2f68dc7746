import GatewayKit
import Testing

/// Renders `objects` as YAML and as JSON, parses each back, and records an issue unless
/// both give exactly `objects` with no problems. On failure the issue shows a line diff
/// of the YAML of what went in against the YAML of what came back.
///
/// ```swift
/// assertRoundTrip([.route(route)])
/// ```
public func assertRoundTrip(_ objects: [KubeObject], sourceLocation: SourceLocation = #_sourceLocation) {
    for (format, text) in [("yaml", ManifestRenderer.yaml(objects)), ("json", ManifestRenderer.json(objects))] {
        let parsed = ManifestParser.parse(text, source: "round-trip.\(format)")
        if !parsed.problems.isEmpty {
            let problems = parsed.problems.map(\.description).joined(separator: "\n")
            Issue.record("\(format) did not parse back:\n\(problems)\n--- rendered:\n\(text)", sourceLocation: sourceLocation)
            continue
        }
        if parsed.objects != objects {
            let diff = lineDiff(expected: ManifestRenderer.yaml(objects), actual: ManifestRenderer.yaml(parsed.objects))
            let detail = diff.isEmpty ? "(renders the same: a field is lost or changed that rendering does not show)" : diff
            Issue.record("\(format) round trip changed the objects (- sent, + read back):\n\(detail)", sourceLocation: sourceLocation)
        }
    }
}

/// Records an issue with a line diff unless `actual` equals `expected` exactly.
public func assertEqualLines(_ actual: String, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
    guard actual != expected else { return }
    Issue.record("text differs (- expected, + actual):\n\(lineDiff(expected: expected, actual: actual))", sourceLocation: sourceLocation)
}

/// A unified-style line diff (longest common subsequence): `- ` lines only in `expected`,
/// `+ ` lines only in `actual`, two lines of context around each change. Empty when equal.
public func lineDiff(expected: String, actual: String) -> String {
    let old = expected.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let new = actual.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    guard old != new else { return "" }
    // Lengths of common subsequences of the suffixes.
    var table = Array(repeating: Array(repeating: 0, count: new.count + 1), count: old.count + 1)
    for i in stride(from: old.count - 1, through: 0, by: -1) {
        for j in stride(from: new.count - 1, through: 0, by: -1) {
            table[i][j] = old[i] == new[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
        }
    }
    var lines: [(mark: Character, text: String)] = []
    var i = 0
    var j = 0
    while i < old.count || j < new.count {
        if i < old.count, j < new.count, old[i] == new[j] {
            lines.append((" ", old[i])); i += 1; j += 1
        } else if j < new.count, i == old.count || table[i][j + 1] >= table[i + 1][j] {
            lines.append(("+", new[j])); j += 1
        } else {
            lines.append(("-", old[i])); i += 1
        }
    }
    let changed = lines.indices.filter { lines[$0].mark != " " }
    let shown = Set(changed.flatMap { max(0, $0 - 2)...min(lines.count - 1, $0 + 2) })
    var out: [String] = []
    for index in lines.indices where shown.contains(index) {
        if index > 0, !shown.contains(index - 1), !out.isEmpty { out.append("  …") }
        out.append("\(lines[index].mark) \(lines[index].text)")
    }
    return out.joined(separator: "\n")
}
