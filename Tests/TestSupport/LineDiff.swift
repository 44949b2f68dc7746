/// A line diff of two texts: unchanged lines with two spaces, expected-only with `-`,
/// actual-only with `+`, from a longest-common-subsequence alignment; trailing blanks are
/// shown as `·`. With `context`, only that many unchanged lines are kept around each
/// change (`…` stands for the rest), for long texts such as rendered manifests. Empty when
/// the texts are equal.
public func lineDiff(expected: String, actual: String, context: Int? = nil) -> String {
    guard expected != actual else { return "" }
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
    guard let context else { return lines.joined(separator: "\n") }
    let changed = lines.indices.filter { !lines[$0].hasPrefix("  ") }
    let shown = Set(changed.flatMap { max(0, $0 - context)...min(lines.count - 1, $0 + context) })
    var out: [String] = []
    for index in lines.indices where shown.contains(index) {
        if index > 0, !shown.contains(index - 1), !out.isEmpty { out.append("  …") }
        out.append(lines[index])
    }
    return out.joined(separator: "\n")
}

extension String {
    /// Trailing blanks made visible as `·`, since they are otherwise what a diff hides.
    fileprivate var visibleTrailingBlanks: String {
        let kept = self.reversed().drop(while: { $0 == " " }).count
        return String(prefix(kept)) + String(repeating: "·", count: count - kept)
    }
}
