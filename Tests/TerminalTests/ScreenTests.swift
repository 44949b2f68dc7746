import Testing
import TestSupport
import Terminal

@Suite("Screen drawing")
struct ScreenTests {
    @Test func putWritesAndReportsColumns() {
        var screen = Screen(size: Size(columns: 10, rows: 2))
        #expect(screen.put("ab漢c", x: 1, y: 0) == 5)
        assertScreen(screen, matches: " ab漢c\n")
        #expect(screen[3, 0].text == "漢")
        #expect(screen[4, 0].isContinuation)
    }

    @Test func wideCharacterAtTheRightEdgeBecomesBlank() {
        var screen = Screen(size: Size(columns: 4, rows: 1))
        screen.put("ab漢", x: 1, y: 0)
        #expect(screen.cells.map(\.text) == [" ", "a", "b", " "])
    }

    @Test func widthLimitIsRespected() {
        var screen = Screen(size: Size(columns: 10, rows: 1))
        #expect(screen.put("漢字漢字", x: 0, y: 0, width: 5) == 5)
        #expect(screen.text == "漢字")
        #expect(!screen[4, 0].isContinuation)
        #expect(screen[5, 0] == .blank)
    }

    @Test func negativeColumnsClipWithoutOrphans() {
        var screen = Screen(size: Size(columns: 4, rows: 1))
        screen.put("漢ab", x: -1, y: 0)
        #expect(screen.cells.map(\.text) == [" ", "a", "b", " "])
        screen.put("xyz", x: -2, y: 0)
        #expect(screen.cells.map(\.text) == ["z", "a", "b", " "])
    }

    @Test func outOfBoundsWritesAreIgnored() {
        var screen = Screen(size: Size(columns: 3, rows: 2))
        #expect(screen.put("abc", x: 0, y: 2) == 0)
        #expect(screen.put("abc", x: 3, y: 0) == 0)
        #expect(screen.put("abc", x: 0, y: -1) == 0)
        screen[5, 5] = Cell("x")
        screen.fill(x: -5, y: -5, width: 100, height: 100, style: Style(reverse: true))
        #expect(screen.cells.allSatisfy { $0 == Cell(" ", style: Style(reverse: true)) })
    }

    @Test(arguments: [Size(columns: 0, rows: 0), Size(columns: 1, rows: 1), Size(columns: 0, rows: 3), Size(columns: 3, rows: 0), Size(columns: -2, rows: -2)])
    func degenerateSizesNeverCrash(size: Size) {
        var screen = Screen(size: size)
        screen.put("漢字 and text", x: 0, y: 0)
        screen.put("😀", x: -1, y: 0)
        screen.fill(x: 0, y: 0, width: 5, height: 5)
        screen[0, 0] = Cell("漢")
        screen.cursor = (0, 0)
        _ = screen.text
        _ = ScreenDiff(from: Screen(size: Size(columns: 1, rows: 1)), to: screen)
        _ = ScreenDiff(from: screen, to: screen)
        if size == Size(columns: 1, rows: 1) {
            #expect(screen[0, 0].text == " ")  // a wide character never fits in one column
        }
    }

    @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var screen = Screen(size: Size(columns: 6, rows: 1))
        screen.put("漢字", x: 0, y: 0)
        screen.put("x", x: 1, y: 0)  // right half of 漢
        #expect(screen.cells.map(\.text) == [" ", "x", "字", "", " ", " "])
        screen.put("y", x: 2, y: 0)  // left half of 字
        #expect(screen.cells.map(\.text) == [" ", "x", "y", " ", " ", " "])
        screen[4, 0] = Cell("語")
        #expect(screen.cells.map(\.text) == [" ", "x", "y", " ", "語", ""])
        screen[5, 0] = Cell("z")
        #expect(screen.cells.map(\.text) == [" ", "x", "y", " ", " ", "z"])
    }

    @Test func zeroWidthCharactersStayWithTheirBase() {
        var screen = Screen(size: Size(columns: 4, rows: 1))
        #expect(screen.put("e\u{301}\u{200B}\tx", x: 0, y: 0) == 2)
        #expect(screen[0, 0].text == "e\u{301}")
        #expect(screen[1, 0].text == "x")
    }

    @Test func assertScreenDiffsLines() {
        let diff = lineDiff(expected: "a\nb\nc", actual: "a\nB \nc")
        #expect(diff == "  a\n- b\n+ B·\n  c")
    }
}
