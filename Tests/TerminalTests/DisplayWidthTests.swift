import Testing
import Terminal

@Suite("Display width")
struct DisplayWidthTests {
    @Test(arguments: [
        ("a", 1), ("Z", 1), (" ", 1), ("é", 1), ("Ж", 1), ("─", 1), ("→", 1),
        ("e\u{301}", 1),  // e + combining acute: one cell
        ("\u{301}", 0),  // a lone combining mark
        ("\t", 0), ("\n", 0), ("\u{1B}", 0), ("\u{7F}", 0), ("\u{85}", 0), ("\r\n", 0),
        ("\u{200B}", 0), ("\u{FEFF}", 0),
        ("漢", 2), ("字", 2), ("あ", 2), ("カ", 2), ("한", 2), ("\u{1100}\u{1161}", 2),
        ("Ａ", 2), ("，", 2), ("\u{3000}", 2), ("𠀋", 2),
        ("ｶ", 1),  // halfwidth katakana
        ("😀", 2), ("🚀", 2), ("🇨🇳", 2), ("👍🏽", 2),
        ("☺\u{FE0F}", 2), ("☺", 1), ("1\u{FE0F}\u{20E3}", 2),
        ("👨\u{200D}👩\u{200D}👧", 2), ("🏳\u{FE0F}\u{200D}🌈", 2),
        ("😀\u{FE0E}", 2), ("☺\u{FE0E}", 1),
    ] as [(String, Int)])
    func characterWidth(text: String, width: Int) {
        #expect(text.count <= 1)
        #expect(text.terminalWidth == width, "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
    }

    @Test func stringWidthAddsCharacters() {
        #expect("kgate".terminalWidth == 5)
        #expect("项目 demo".terminalWidth == 9)
        #expect("网关🚀".terminalWidth == 6)
        #expect("".terminalWidth == 0)
    }

    /// The printable-ASCII fast path gives what the per-character rules give, and any
    /// other byte (a control, DEL, UTF-8) takes the per-character way.
    @Test(arguments: [
        "GET /api/v1/items 200", "", " ", "~", "a\tb", "a\u{7F}b", "a\u{1B}[31mb", "line\r\n", "é", "host 网关",
    ])
    func asciiFastPathAgreesWithTheRules(text: String) {
        let perCharacter = text.reduce(0) { $0 + $1.terminalWidth }
        #expect(text.terminalWidth == perCharacter)
        #expect(Substring(text).terminalWidth == perCharacter)
        #expect(text.isPrintableASCII == text.utf8.allSatisfy { (0x20..<0x7F).contains($0) })
    }

    @Test func aControlCharacterIsNotPrintableASCII() {
        #expect("plain text".isPrintableASCII)
        #expect(!"bell\u{07}".isPrintableASCII)
        #expect(!"del\u{7F}".isPrintableASCII)
        #expect(!"café".isPrintableASCII)
    }
}
