import GatewayKit
import Testing

/// Issue 7 item 1: text from files, manifests and servers cannot drive the terminal.
@Suite("Terminal text escaping")
struct TerminalTextTests {
    @Test("C0, DEL, C1, line separators and bidi controls are written as escapes", arguments: [
        ("a\u{1B}[31mb", "a\\u{1B}[31mb"),
        ("bell\u{07}", "bell\\u{7}"),
        ("del\u{7F}", "del\\u{7F}"),
        ("csi\u{9B}2J", "csi\\u{9B}2J"),
        ("line\nbreak\r\ttab", "line\\nbreak\\r\\ttab"),
        ("\u{202E}evil\u{2066}", "\\u{202E}evil\\u{2066}"),
        ("sep\u{2028}", "sep\\u{2028}"),
    ])
    func escapes(raw: String, shown: String) {
        #expect(TerminalText.escaped(raw) == shown)
    }

    @Test("printable text, CJK and emoji are left alone; backslashes too, so escaping twice changes nothing")
    func keepsPrintableText() {
        for text in ["demo.kubesphere.io", "项目网关 🚀", "C:\\path \"quoted\"", ""] {
            #expect(TerminalText.escaped(text) == text)
        }
        let once = TerminalText.escaped("x\u{1B}]0;title\u{07}")
        #expect(TerminalText.escaped(once) == once)
    }

    @Test("a message of several lines keeps its line breaks and nothing else")
    func keepsLineBreaks() {
        #expect(TerminalText.escapedKeepingLineBreaks("a is invalid:\n  b\u{1B}[2J\r") == "a is invalid:\n  b\\u{1B}[2J\\r")
    }

    @Test("a store error's parts are escaped, its own line breaks kept")
    func storeErrorDescriptions() {
        let invalid = StoreError.invalid(object: "Ingress demo/x\u{1B}[2J", errors: [FieldError("metadata.name", "bad \u{202E}value")])
        #expect(invalid.description == "Ingress demo/x\\u{1B}[2J is invalid:\n  metadata.name: bad \\u{202E}value")
        #expect(StoreError.unavailable(reason: "server said \u{1B}]0;pwned\u{07}").description == "unavailable: server said \\u{1B}]0;pwned\\u{7}")
        #expect(StoreError.notFound(object: "a\nb").description == "a\\nb not found")
        #expect(StoreError.conflict(object: "o", reason: "r\u{9B}").description == "conflict on o: r\\u{9B}")
        #expect(StoreError.forbidden(reason: "\u{7F}").description == "forbidden: \\u{7F}")
        #expect(StoreError.alreadyExists(object: "\u{0}").description == "\\u{0} already exists")
    }
}
