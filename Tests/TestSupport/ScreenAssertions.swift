import Terminal
import Testing

/// Checks that `screen` shows `expected` (its `text`: one line a row, trailing blanks
/// removed) and, when not, records an issue with a line diff rather than two walls of text.
///
///     assertScreen(view(state, Size(columns: 20, rows: 2)), matches: """
///         Projects
///         > demo
///         """)
public func assertScreen(
    _ screen: Screen, matches expected: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    let actual = screen.text
    guard actual != expected else { return }
    Issue.record(
        Comment(rawValue: "Screen does not match (- expected, + actual):\n" + lineDiff(expected: expected, actual: actual)),
        sourceLocation: sourceLocation)
}

/// A line diff of two texts: unchanged lines with two spaces, expected-only with `-`,
/// actual-only with `+`, from a longest-common-subsequence alignment.
public func lineDiff(expected: String, actual: String) -> String {
    let old = expected.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let new = actual.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    // lengths[i][j]: the longest common subsequence of old[i...] and new[j...].
    var lengths = Array(repeating: Array(repeating: 0, count: new.count + 1), count: old.count + 1)
    for i in stride(from: old.count - 1, through: 0, by: -1) {
        for j in stride(from: new.count - 1, through: 0, by: -1) {
            lengths[i][j] = old[i] == new[j] ? lengths[i + 1][j + 1] + 1 : max(lengths[i + 1][j], lengths[i][j + 1])
        }
    }
    var lines: [String] = []
    var i = 0
    var j = 0
    while i < old.count || j < new.count {
        if i < old.count, j < new.count, old[i] == new[j] {
            lines.append("  " + old[i].visibleTrailingBlanks)
            i += 1
            j += 1
        } else if i < old.count, j == new.count || lengths[i + 1][j] >= lengths[i][j + 1] {
            lines.append("- " + old[i].visibleTrailingBlanks)
            i += 1
        } else {
            lines.append("+ " + new[j].visibleTrailingBlanks)
            j += 1
        }
    }
    return lines.joined(separator: "\n")
}

extension String {
    /// Trailing blanks made visible as `·`, since they are otherwise what a diff hides.
    fileprivate var visibleTrailingBlanks: String {
        let kept = self.reversed().drop(while: { $0 == " " }).count
        return String(prefix(kept)) + String(repeating: "·", count: count - kept)
    }
}
