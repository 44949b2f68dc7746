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
