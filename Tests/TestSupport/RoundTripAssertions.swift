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
            let diff = lineDiff(expected: ManifestRenderer.yaml(objects), actual: ManifestRenderer.yaml(parsed.objects), context: 2)
            let detail = diff.isEmpty ? "(renders the same: a field is lost or changed that rendering does not show)" : diff
            Issue.record("\(format) round trip changed the objects (- sent, + read back):\n\(detail)", sourceLocation: sourceLocation)
        }
    }
}

/// Records an issue with a line diff unless `actual` equals `expected` exactly.
public func assertEqualLines(_ actual: String, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
    guard actual != expected else { return }
    Issue.record("text differs (- expected, + actual):\n\(lineDiff(expected: expected, actual: actual, context: 2))", sourceLocation: sourceLocation)
}
