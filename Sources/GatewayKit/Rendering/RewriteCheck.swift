/// Whether rewriting a manifest file as kgate renders it would lose what a person put
/// there: comments, flow style (`{a: 1}`, `[x, y]`), several objects in one file. The
/// store refuses such a rewrite; the console can ask first (issue 7 item 12).
///
///     RewriteCheck.losses(in: "kind: Ingress  # ours\n...", objects: [route])
///     // ["it has comments"]
public enum RewriteCheck {
    /// Why rewriting `text`, which holds `objects`, would lose comments or layout; empty
    /// when kgate's rendering of the objects is the file itself or loses nothing of note.
    public static func losses(in text: String, objects: [KubeObject]) -> [String] {
        var reasons: [String] = []
        if objects.count > 1 { reasons.append("it holds \(objects.count) objects") }
        guard text != ManifestRenderer.yaml(objects) else { return reasons }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(unquoted)
        if lines.contains(where: { $0.contains("#") }) { reasons.append("it has comments") }
        if lines.contains(where: hasFlowCollection) { reasons.append("it uses flow style ({…} or […])") }
        return reasons
    }

    /// The line with its quoted parts blanked, so that `#`, `{` and `[` inside strings do
    /// not count.
    private static func unquoted(_ line: Substring) -> String {
        var result = ""
        var quote: Character?
        for character in line {
            if let open = quote {
                if character == open { quote = nil }
                continue
            }
            if character == "\"" || character == "'" {
                quote = character
                continue
            }
            result.append(character)
        }
        return result
    }

    /// `key: {…}`, `key: […]`, `- {…}` with content (kgate writes only empty `{}`/`[]`).
    private static func hasFlowCollection(_ line: String) -> Bool {
        for marker in [": {", ": [", "- {", "- ["] {
            guard let range = line.range(of: marker) else { continue }
            let rest = line[range.upperBound...].trimmingSpaces
            if rest != "}" && rest != "]" { return true }
        }
        return false
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var text = self
        while text.last == " " { text = text.dropLast() }
        return text
    }
}
