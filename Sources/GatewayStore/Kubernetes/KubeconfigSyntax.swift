import Foundation
import GatewayKit
import Yams

/// A kubeconfig that is not valid YAML, reported without its text: Yams' own message
/// quotes the line with a caret under it, and that line may hold a token or a key. The
/// error names the line, the column and the key path that leads there
/// (`users[0].user.token`), and the parser's problem, which is fixed text of libyaml's.
enum KubeconfigSyntax {
    static func error(_ error: any Error, text: String) -> FieldError {
        guard let error = error as? YamlError else {
            // Not one of Yams' parse errors: its text is unknown, so none of it is shown.
            return FieldError("", "not valid YAML")
        }
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let during = context.map { " (\($0.text))" } ?? ""
            return FieldError(
                keyPath(text, line: mark.line),
                "not valid YAML at line \(mark.line), column \(mark.column): \(problem)\(during); the value is not shown")
        case .reader(let problem, let offset, _, _):
            return FieldError("", "not readable as text\(offset.map { " at byte \($0)" } ?? ""): \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return FieldError(
                keyPath(text, line: context.mark.line),
                "duplicate keys \(duplicates.sorted().joined(separator: ", ")) at line \(context.mark.line)")
        default:
            return FieldError("", "not valid YAML")
        }
    }

    /// The path of keys and list indexes in force at `line` (1-based), read from the block
    /// structure of the lines up to it: the best a file that does not parse can tell.
    /// Flow collections (`{…}`, `[…]`) are not followed; their key is the path's end.
    static func keyPath(_ text: String, line: Int) -> FieldPath {
        // The root frame sits left of every line; each frame counts its list items.
        var frames: [(indent: Int, segment: String, items: Int)] = [(-1, "", 0)]
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false).prefix(max(line, 0)) {
            var indent = raw.prefix { $0 == " " }.count
            var rest = raw.dropFirst(indent)
            if rest.isEmpty || rest.hasPrefix("#") || rest.hasPrefix("---") || rest.hasPrefix("...") { continue }
            while rest == "-" || rest.hasPrefix("- ") {
                // A list item: siblings at this indent end, its parent key (same indent in
                // kubectl's style, or less) counts it.
                while let last = frames.last, last.indent > indent || (last.indent == indent && last.segment.hasPrefix("[")) {
                    frames.removeLast()
                }
                let index = frames[frames.count - 1].items
                frames[frames.count - 1].items += 1
                frames.append((indent, "[\(index)]", 0))
                let after = rest.dropFirst()
                let spaces = after.prefix { $0 == " " }.count
                indent += 1 + spaces
                rest = after.dropFirst(spaces)
            }
            guard let key = key(of: rest) else { continue }
            while let last = frames.last, last.indent >= indent { frames.removeLast() }
            frames.append((indent, key, 0))
        }
        var path = FieldPath("")
        for frame in frames.dropFirst() {
            if frame.segment.hasPrefix("[") {
                path = FieldPath(path.description + frame.segment)
            } else {
                path = path.child(frame.segment)
            }
        }
        return path
    }

    /// `name` of `name: value` or `name:`; nil for a line that is not a key.
    private static func key(of content: Substring) -> String? {
        var end = content.startIndex
        while end < content.endIndex {
            if content[end] == ":" {
                let next = content.index(after: end)
                if next == content.endIndex || content[next] == " " { break }
            }
            end = content.index(after: end)
        }
        guard end < content.endIndex, end > content.startIndex else { return nil }
        var key = content[..<end].trimmingCharacters(in: [" "])
        if key.count >= 2, let first = key.first, first == "\"" || first == "'", key.last == first {
            key = String(key.dropFirst().dropLast())
        }
        return TerminalText.escaped(key)
    }
}
