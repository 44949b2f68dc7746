import CNcursesw
import Testing
@testable import Terminal

@Suite("Key decoding")
struct KeyDecoderTests {
    @Test(arguments: [
        ("\u{1B}[A", [Key.up]), ("\u{1B}[B", [.down]), ("\u{1B}[C", [.right]), ("\u{1B}[D", [.left]),
        ("\u{1B}OA", [.up]), ("\u{1B}OD", [.left]), ("\u{1B}[1;5A", [.up]),
        ("\u{1B}[H", [.home]), ("\u{1B}[F", [.end]), ("\u{1B}[1~", [.home]), ("\u{1B}[4~", [.end]),
        ("\u{1B}[2~", [.insert]), ("\u{1B}[3~", [.delete]), ("\u{1B}[5~", [.pageUp]), ("\u{1B}[6~", [.pageDown]),
        ("\u{1B}OP", [.function(1)]), ("\u{1B}OS", [.function(4)]), ("\u{1B}[15~", [.function(5)]),
        ("\u{1B}[24~", [.function(12)]), ("\u{1B}[[A", [.function(1)]), ("\u{1B}[Z", [.backTab]),
        ("\u{1B}x", [.alt("x")]), ("\u{1B}", [.escape]), ("\u{1B}\u{1B}", [.escape, .escape]),
        ("\u{1B}[", [.alt("[")]), ("\u{1B}\u{1B}[A", [.escape, .up]),
        ("\u{03}", [.ctrl("c")]), ("\u{01}", [.ctrl("a")]), ("\u{1A}", [.ctrl("z")]),
        ("\r", [.enter]), ("\n", [.enter]), ("\t", [.tab]), ("\u{7F}", [.backspace]), ("\u{08}", [.backspace]),
        ("q", [.character("q")]), ("/", [.character("/")]), ("jk", [.character("j"), .character("k")]),
        ("漢", [.character("漢")]), ("é", [.character("é")]), ("😀", [.character("😀")]),
        ("a\u{1B}[Bb", [.character("a"), .down, .character("b")]),
    ] as [(String, [Key])])
    func bytes(input: String, keys: [Key]) {
        var decoder = KeyDecoder()
        let decoded = decoder.decode(bytes: Array(input.utf8)) + decoder.flush()
        #expect(decoded == keys)
    }

    @Test func sequencesSplitAcrossReadsAreJoined() {
        var decoder = KeyDecoder()
        let bytes = Array("\u{1B}[15~漢".utf8)
        var keys: [Key] = []
        for byte in bytes { keys += decoder.decode(bytes: [byte]) }
        #expect(keys == [.function(5), .character("漢")])
        #expect(!decoder.hasPendingInput)
    }

    @Test func loneEscapeWaitsForTheDelay() {
        var decoder = KeyDecoder()
        #expect(decoder.decode(bytes: [0x1B]).isEmpty)
        #expect(decoder.hasPendingInput)
        #expect(decoder.decode(bytes: Array("[A".utf8)) == [.up])
        #expect(decoder.decode(bytes: [0x1B]).isEmpty)
        #expect(decoder.flush() == [.escape])
    }

    @Test func invalidUTF8IsDropped() {
        var decoder = KeyDecoder()
        #expect(decoder.decode(bytes: [0xFF, 0x80, 0x61]) == [.character("a")])
    }

    @Test(arguments: [
        (KEY_UP, Key.up), (KEY_DOWN, .down), (KEY_LEFT, .left), (KEY_RIGHT, .right),
        (KEY_HOME, .home), (KEY_END, .end), (KEY_PPAGE, .pageUp), (KEY_NPAGE, .pageDown),
        (KEY_BACKSPACE, .backspace), (KEY_DC, .delete), (KEY_IC, .insert), (KEY_ENTER, .enter),
        (KEY_BTAB, .backTab), (KEY_F0 + 1, .function(1)), (KEY_F0 + 12, .function(12)),
    ] as [(Int32, Key)])
    func cursesKeyCodes(code: Int32, key: Key) {
        #expect(CursesKeys.token(status: KEY_CODE_YES, code: UInt32(code)) == .key(key))
    }

    @Test func cursesResultsDecode() {
        let reads: [(Int32, UInt32)] = [
            (KEY_CODE_YES, UInt32(KEY_RESIZE)), (OK, 0x6A), (OK, 0x1B), (OK, 0x78), (OK, 0x6F22),
            (OK, 0x1B), (OK, 0x5B), (OK, 0x42), (OK, 0x1B), (ERR, 0),
        ]
        var decoder = KeyDecoder()
        let outputs = decoder.decode(tokens: reads.compactMap { CursesKeys.token(status: $0.0, code: $0.1) }, final: true)
        #expect(outputs == [.resize, .key(.character("j")), .key(.alt("x")), .key(.character("漢")), .key(.down), .key(.escape)])
    }
}
