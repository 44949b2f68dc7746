/// The cells that changed between two frames, as runs of adjacent cells on one row.
///
/// A backend writes only these runs, so moving a selection one row costs two rows of
/// output, not a screen. A wide character is one glyph in two cells, and a terminal can
/// only draw it whole, so the diff widens every run to whole glyphs:
///
/// | old         | new         | run written                                        |
/// | ----------- | ----------- | -------------------------------------------------- |
/// | `a b`       | `a c`       | column 1: `c`                                      |
/// | `漢 ·`      | `語 ·`      | column 0: `語` `·` (the glyph, continuation included) |
/// | `漢 ·`      | `漢 ·` (right half restyled) | column 0: `漢` `·` (the whole glyph again) |
/// | `漢 ·`      | `a b`       | column 0: `a` `b` (the continuation is cleared)     |
/// | `a b`       | `漢 ·`      | column 0: `漢` `·`                                  |
/// | `x 漢 ·`    | `x a ·` (orphan) | column 1: `a` ` ` (an orphan half is a blank)  |
/// | size differs | any        | every row, whole (`isFullRedraw`)                  |
///
/// (`·` is the continuation cell.) A run never starts on a continuation cell and never
/// ends between the halves of a wide character.
public struct ScreenDiff: Hashable, Sendable {
    /// Adjacent cells of one row to write from `column` on. Continuation cells are included
    /// so that columns add up; a backend skips them, since the glyph before draws both.
    public struct Run: Hashable, Sendable {
        public var row: Int
        public var column: Int
        public var cells: [Cell]

        public init(row: Int, column: Int, cells: [Cell]) {
            self.row = row
            self.column = column
            self.cells = cells
        }
    }

    public var runs: [Run]
    /// True when there was no comparable previous frame (none, or another size): every
    /// cell is in `runs`, and a backend should clear the terminal first.
    public var isFullRedraw: Bool

    /// The runs that turn `old` into `new`; every cell of `new` when `old` is nil or of
    /// another size.
    public init(from old: Screen?, to new: Screen) {
        let columns = new.size.columns
        guard let old, old.size == new.size else {
            isFullRedraw = true
            runs = (0..<new.size.rows).compactMap { row in
                columns == 0 ? nil : Run(row: row, column: 0, cells: ScreenDiff.drawable(new, row: row, from: 0, to: columns))
            }
            return
        }
        isFullRedraw = false
        var runs: [Run] = []
        var changed = [Bool](repeating: false, count: columns)
        for row in 0..<new.size.rows {
            var any = false
            for column in 0..<columns {
                let differs = old[column, row] != new[column, row]
                changed[column] = differs
                any = any || differs
            }
            guard any else { continue }
            ScreenDiff.widenToGlyphs(&changed, old: old, new: new, row: row)
            var column = 0
            while column < columns {
                guard changed[column] else {
                    column += 1
                    continue
                }
                let start = column
                while column < columns && changed[column] { column += 1 }
                runs.append(Run(row: row, column: start, cells: ScreenDiff.drawable(new, row: row, from: start, to: column)))
            }
        }
        self.runs = runs
    }

    /// Marks both halves of every wide character (old or new) that has a changed half.
    private static func widenToGlyphs(_ changed: inout [Bool], old: Screen, new: Screen, row: Int) {
        let columns = changed.count
        // Right to left pulls a changed right half's head in; left to right pushes a changed
        // head's continuation out. Two passes settle chains such as `漢·語·` → `a漢·b`.
        for _ in 0..<2 {
            for column in stride(from: columns - 1, to: 0, by: -1) where changed[column] {
                if isWideHead(old, column - 1, row) || isWideHead(new, column - 1, row) {
                    changed[column - 1] = true
                }
            }
            for column in 0..<max(0, columns - 1) where changed[column] {
                if isWideHead(old, column, row) || isWideHead(new, column, row) {
                    changed[column + 1] = true
                }
            }
        }
    }

    /// True when the cell at `column` is the left half of a wide character whose right
    /// half follows (an orphaned continuation has no head and belongs to nothing).
    private static func isWideHead(_ screen: Screen, _ column: Int, _ row: Int) -> Bool {
        let cell = screen[column, row]
        return !cell.isContinuation && screen[column + 1, row].isContinuation && cell.text.terminalWidth >= 2
    }

    /// The cells of `screen` in `start..<end` of `row`, with orphaned continuations (a
    /// continuation whose left neighbour is not a wide character) turned into blanks.
    private static func drawable(_ screen: Screen, row: Int, from start: Int, to end: Int) -> [Cell] {
        var cells: [Cell] = []
        cells.reserveCapacity(end - start)
        for column in start..<end {
            let cell = screen[column, row]
            if cell.isContinuation {
                let owned = column > 0 && isWideHead(screen, column - 1, row)
                cells.append(owned ? cell : Cell(" ", style: cell.style))
            } else {
                cells.append(cell)
            }
        }
        return cells
    }
}
