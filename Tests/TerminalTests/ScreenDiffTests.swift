import Testing
import Terminal

@Suite("Screen diff")
struct ScreenDiffTests {
    private func row(_ text: String, columns: Int = 6) -> Screen {
        var screen = Screen(size: Size(columns: columns, rows: 1))
        screen.put(text, x: 0, y: 0)
        return screen
    }

    /// Each run as "column:text", continuation cells shown as "·".
    private func runs(_ old: Screen?, _ new: Screen) -> [String] {
        ScreenDiff(from: old, to: new).runs.map { run in
            "\(run.row),\(run.column):" + run.cells.map { $0.isContinuation ? "·" : $0.text }.joined()
        }
    }

    @Test func identicalScreensHaveNoRuns() {
        #expect(runs(row("a漢b"), row("a漢b")).isEmpty)
    }

    @Test func narrowChangeIsOneCell() {
        #expect(runs(row("abc"), row("axc")) == ["0,1:x"])
        #expect(runs(row("abcdef"), row("xbcdey")) == ["0,0:x", "0,5:y"])
    }

    @Test func wideReplacedByWide() {
        #expect(runs(row("a漢b"), row("a語b")) == ["0,1:語·"])
    }

    @Test func restyledRightHalfRedrawsTheWholeGlyph() {
        let old = row("a漢b")
        var new = old
        new[2, 0] = .continuation(Style(bold: true))
        #expect(runs(old, new) == ["0,1:漢·"])
    }

    @Test func wideReplacedByNarrowClearsTheContinuation() {
        #expect(runs(row("漢"), row("ab")) == ["0,0:ab"])
        #expect(runs(row("漢"), row("a")) == ["0,0:a "])
    }

    @Test func narrowReplacedByWide() {
        #expect(runs(row("abc"), row("a漢")) == ["0,1:漢·"])
    }

    @Test func shiftedWideCharactersChain() {
        #expect(runs(row("漢語"), row("a漢b")) == ["0,0:a漢·b"])
    }

    @Test func orphanContinuationIsDrawnAsBlank() {
        let old = row("xyz")
        var new = old
        new[1, 0] = .continuation(.plain)  // raw write: no head
        #expect(runs(old, new) == ["0,1: "])
        // The table's row: a wide character replaced by a narrow one, its half left behind.
        let wide = row("x漢")
        var narrow = wide
        narrow.put("a", x: 1, y: 0)
        narrow[2, 0] = wide[2, 0]  // raw write puts the stale continuation back
        #expect(runs(wide, narrow) == ["0,1:a "])
    }

    @Test func sizeChangeIsAFullRedraw() {
        let diff = ScreenDiff(from: row("ab", columns: 4), to: row("ab", columns: 3))
        #expect(diff.isFullRedraw)
        #expect(diff.runs.map(\.cells.count) == [3])
        #expect(ScreenDiff(from: nil, to: row("a")).isFullRedraw)
        #expect(ScreenDiff(from: nil, to: Screen(size: Size(columns: 0, rows: 0))).runs.isEmpty)
    }

    @Test func movingASelectionTouchesTwoRows() {
        var old = Screen(size: Size(columns: 20, rows: 5))
        for y in 0..<5 { old.put("route-\(y)", x: 0, y: y, style: y == 1 ? Style(reverse: true) : .plain, width: 20) }
        var new = Screen(size: Size(columns: 20, rows: 5))
        for y in 0..<5 { new.put("route-\(y)", x: 0, y: y, style: y == 2 ? Style(reverse: true) : .plain, width: 20) }
        #expect(ScreenDiff(from: old, to: new).runs.map(\.row) == [1, 2])
    }
}
