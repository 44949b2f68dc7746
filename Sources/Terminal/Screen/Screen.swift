/// A grid of cells: what one frame of the console looks like.
///
/// Views draw into a `Screen`; a backend shows it. Drawing never goes past the grid's
/// edge, and a wide character that would straddle the right edge is replaced by a blank.
public struct Screen: Hashable, Sendable {
    public private(set) var size: Size
    public private(set) var cells: [Cell]
    /// Where the terminal cursor should rest (an editor's insertion point), if shown.
    public var cursor: (x: Int, y: Int)? {
        get { cursorPosition.map { ($0.x, $0.y) } }
        set { cursorPosition = newValue.map { CursorPosition(x: $0.x, y: $0.y) } }
    }
    private var cursorPosition: CursorPosition?

    private struct CursorPosition: Hashable, Sendable {
        var x: Int
        var y: Int
    }

    public init(size: Size, fill: Cell = .blank) {
        self.size = size
        self.cells = Array(repeating: fill, count: size.columns * size.rows)
    }

    /// The cell at a position; blank outside the grid, where writes are ignored.
    ///
    /// Writing a cell keeps wide characters whole: overwriting either half of a wide
    /// character blanks its other half, and a wide character written here also takes the
    /// next cell (or becomes a blank when the next cell is past the edge).
    public subscript(x: Int, y: Int) -> Cell {
        get {
            guard contains(x: x, y: y) else { return .blank }
            return cells[y * size.columns + x]
        }
        set {
            guard contains(x: x, y: y) else { return }
            if newValue.isContinuation {
                cells[y * size.columns + x] = newValue
                return
            }
            let width = newValue.text.terminalWidth >= 2 ? 2 : 1
            place(newValue, width: width, x: x, y: y)
        }
    }

    /// Writes a glyph `width` columns wide at (x, y), repairing the wide characters it cuts.
    /// Columns before 0 or past the edge are not written; the visible part of a wide
    /// character that does not fit entirely becomes blanks, so nothing is drawn half.
    private mutating func place(_ cell: Cell, width: Int, x: Int, y: Int) {
        let end = x + width
        guard y >= 0, y < size.rows, end > 0, x < size.columns else { return }
        let row = y * size.columns
        let first = max(0, x)
        let last = min(size.columns, end)
        // A wide character whose right half is overwritten loses its left half too.
        if cells[row + first].isContinuation, first > 0 {
            cells[row + first - 1] = Cell(" ", style: cells[row + first - 1].style)
        }
        // A wide character whose left half is overwritten loses its right half too.
        if last < size.columns, cells[row + last].isContinuation {
            cells[row + last] = Cell(" ", style: cells[row + last].style)
        }
        if first == x && last == end {
            cells[row + x] = cell
            for column in (x + 1)..<end { cells[row + column] = .continuation(cell.style) }
        } else {
            for column in first..<last { cells[row + column] = Cell(" ", style: cell.style) }
        }
    }

    public func contains(x: Int, y: Int) -> Bool {
        x >= 0 && y >= 0 && x < size.columns && y < size.rows
    }

    /// Writes `text` from column `x` of row `y`, at most `width` columns (to the right edge
    /// when nil). Returns the number of columns used.
    @discardableResult
    public mutating func put(
        _ text: String, x: Int, y: Int, style: Style = .plain, width: Int? = nil
    ) -> Int {
        guard y >= 0, y < size.rows, x < size.columns else { return 0 }
        let limit = min(size.columns, width.map { x + max(0, $0) } ?? size.columns)
        var column = x
        if text.isPrintableASCII {
            // One column a byte: no grapheme breaking, no width looked up.
            for byte in text.utf8 {
                guard column < limit else { break }
                place(Cell(String(Unicode.Scalar(byte)), style: style), width: 1, x: column, y: y)
                column += 1
            }
            return max(0, column - x)
        }
        for character in text {
            let w = min(2, character.terminalWidth)
            if w == 0 {
                continue
            }
            if column + w > limit {
                // A wide character that does not fit is shown as blanks, never cut in half.
                while column < limit {
                    place(Cell(" ", style: style), width: 1, x: column, y: y)
                    column += 1
                }
                break
            }
            place(Cell(String(character), style: style), width: w, x: column, y: y)
            column += w
        }
        return max(0, column - x)
    }

    /// Fills a rectangle with blanks of a style.
    public mutating func fill(x: Int, y: Int, width: Int, height: Int, style: Style = .plain) {
        for row in max(0, y)..<min(size.rows, y + max(0, height)) {
            for column in max(0, x)..<min(size.columns, x + max(0, width)) {
                self[column, row] = Cell(" ", style: style)
            }
        }
    }

    /// The screen's text, one line a row, trailing blanks removed: what snapshot tests compare.
    public var text: String {
        var lines: [String] = []
        for row in 0..<size.rows {
            var line = ""
            for column in 0..<size.columns {
                let cell = self[column, row]
                if !cell.isContinuation { line += cell.text }
            }
            while line.last == " " { line.removeLast() }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    public static func == (lhs: Screen, rhs: Screen) -> Bool {
        lhs.size == rhs.size && lhs.cells == rhs.cells && lhs.cursorPosition == rhs.cursorPosition
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(size)
        hasher.combine(cells)
    }
}
