import Terminal
import Testing

@testable import Console

@Suite struct TextFitTests {
    @Test(arguments: [
        ("网关演示", 5, "网关…"), ("网关演示", 8, "网关演示"), ("🚀 launch", 4, "🚀 …"), ("abcdef", 4, "abc…"),
        ("网关", 1, "…"), ("abc", 0, ""),
    ])
    func fitsByDisplayWidthWithoutSplittingWideCharacters(_ text: String, _ width: Int, _ expected: String) {
        let fitted = text.fitted(to: width, ellipsis: "…")
        #expect(fitted == expected)
        #expect(fitted.terminalWidth <= width)
    }

    /// A long printable-ASCII line (a log line) is cut by bytes: the same as by characters.
    @Test func longASCIILineIsCutAtTheWidth() {
        let line = #"{"time":"1764658800.123","route":"bench/web","status":"200"}"#
        #expect(line.fitted(to: 10, ellipsis: "…") == "{\"time\":\"…")
        #expect(line.fitted(to: 10, ellipsis: "...") == "{\"time\"...")
        #expect(line.fitted(to: line.count, ellipsis: "…") == line)
        #expect(line.fitted(to: 10, ellipsis: "…").terminalWidth == 10)
    }

    @Test func asciiEllipsis() {
        #expect("网关演示".fitted(to: 5, ellipsis: "~") == "网关~")
    }

    @Test func textFieldEditsAtTheCursor() {
        var field = TextField("ab")
        _ = field.handle(.left)
        _ = field.handle(.character("网"))
        #expect(field.text == "a网b")
        _ = field.handle(.backspace)
        #expect(field.text == "ab" && field.cursor == 1)
        _ = field.handle(.end)
        _ = field.handle(.backspace)
        _ = field.handle(.backspace)
        #expect(field.text == "")
        field = TextField("ab")
        _ = field.handle(.character("\n"))
        #expect(field.text == "ab")
        _ = field.handle(.ctrl("u"))
        #expect(field.text == "")
    }
}

@Suite struct TextWrapTests {
    @Test(arguments: [
        ("must be a DNS name, not an IP address", 12, ["must be a", "DNS name,", "not an IP", "address"]),
        ("short", 20, ["short"]),
        ("abcdefghij", 4, ["abcd", "efgh", "ij"]),
        ("网关演示网关", 5, ["网关", "演示", "网关"]),
        ("", 5, [""]),
    ])
    func wrapsAtSpacesByDisplayWidth(_ text: String, _ width: Int, _ expected: [String]) {
        let lines = TextWrap.lines(text, width: width)
        #expect(lines == expected)
        #expect(lines.allSatisfy { $0.terminalWidth <= width })
    }

    @Test func middleCutKeepsBothEndsAndNeverSplitsAWideCharacter() {
        let cut = "网关演示.kubesphere.io".fittedInMiddle(to: 11, ellipsis: "…")
        #expect(cut.terminalWidth <= 11)
        #expect(cut.hasPrefix("网关"))
        #expect(cut.hasSuffix(".io"))
    }
}
