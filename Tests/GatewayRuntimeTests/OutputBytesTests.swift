import Testing

@testable import GatewayRuntime

/// The printer's byte buffer: what it holds is what was appended, in order, however many
/// times it grew, and its text is those bytes.
@Suite struct OutputBytesTests {
    @Test func holdsEveryAppendInOrderAcrossGrowth() {
        let out = OutputBytes(capacity: 1)
        var expected: [UInt8] = []
        var generator = SystemRandomNumberGenerator()
        for round in 0..<2_000 {
            switch round % 3 {
            case 0:
                let byte = UInt8.random(in: 0x21...0x7E, using: &generator)
                out.append(byte)
                expected.append(byte)
            case 1:
                let bytes = (0..<Int.random(in: 0...300, using: &generator)).map { UInt8(0x21 + ($0 + round) % 94) }
                bytes.withUnsafeBufferPointer { out.append($0) }
                expected += bytes
            default:
                let count = Int.random(in: 0...40, using: &generator)
                out.append(repeating: 0x20, count: count)
                expected += repeatElement(0x20, count: count)
            }
            #expect(out.count == expected.count)
        }
        #expect(Array(out.text.utf8) == expected)
        let text = "ünïcode ✓ and ASCII\n"
        let check = OutputBytes(capacity: 4)
        var copy = text
        copy.withUTF8 { check.append($0) }
        #expect(check.text == text)
    }

    @Test func removeAllEmptiesItForTheNextPiece() {
        let out = OutputBytes(capacity: 8)
        Array("first piece, longer than the buffer".utf8).withUnsafeBufferPointer { out.append($0) }
        #expect(out.text == "first piece, longer than the buffer")
        out.removeAll()
        #expect(out.isEmpty)
        #expect(out.text == "")
        Array("second".utf8).withUnsafeBufferPointer { out.append($0) }
        #expect(out.text == "second")
    }
}
