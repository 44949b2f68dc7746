/// One cell of the terminal grid.
///
/// A wide character (CJK, most emoji) occupies its cell and the next one; the next one
/// is a `continuation` cell that draws nothing of its own.
///
/// | text   | cells                         |
/// | ------ | ----------------------------- |
/// | `ab`   | `a` `b`                       |
/// | `漢a`  | `漢` (continuation) `a`       |
public struct Cell: Hashable, Sendable {
    /// The grapheme drawn in this cell; empty for the continuation of a wide character.
    public var text: String
    public var style: Style

    public init(_ text: String = " ", style: Style = .plain) {
        self.text = text
        self.style = style
    }

    public static let blank = Cell()
    public static func continuation(_ style: Style) -> Cell { Cell("", style: style) }
    public var isContinuation: Bool { text.isEmpty }
}

/// A size in cells.
public struct Size: Hashable, Sendable {
    public var columns: Int
    public var rows: Int
    public init(columns: Int, rows: Int) {
        self.columns = max(0, columns)
        self.rows = max(0, rows)
    }
}
