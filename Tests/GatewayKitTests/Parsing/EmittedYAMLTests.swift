import Testing
import TestSupport

@testable import GatewayKit

/// The fast reader of kgate's own YAML form (issue 15): it reads what the emitter writes as
/// the full reader (Yams) does, and leaves every other form to that reader.
@Suite("Emitted YAML fast path")
struct EmittedYAMLTests {
    /// Random trees of maps, lists and scalars whose keys and strings are hostile words.
    struct Trees {
        var generator: SeededGenerator

        mutating func word() -> String {
            let count = Int.random(in: 1...2, using: &generator)
            let text = (0..<count).map { _ in HostileModels.words.randomElement(using: &generator) ?? "" }.joined()
            // Yams drops a leading U+FEFF (see HostileModels.string).
            return text.hasPrefix("\u{FEFF}") ? "x" + text : text
        }

        mutating func value(depth: Int) -> ManifestValue {
            switch Int.random(in: 0...(depth > 4 ? 3 : 6), using: &generator) {
            case 0: return .null
            case 1: return .bool(Bool.random(using: &generator))
            case 2: return .int(Int.random(in: -70000...70000, using: &generator))
            case 3: return .string(word())
            case 4: return .list((0..<Int.random(in: 0...3, using: &generator)).map { _ in value(depth: depth + 1) })
            default:
                var keys: Set<String> = []
                var fields: [ManifestField] = []
                for _ in 0..<Int.random(in: 0...4, using: &generator) {
                    let key = word()
                    if keys.insert(key).inserted { fields.append(ManifestField(key, value(depth: depth + 1))) }
                }
                return .map(fields)
            }
        }
    }

    func document(_ text: String) -> YAMLDocuments.Document {
        YAMLDocuments.Document(index: 0, firstLine: 1, text: text[...])
    }

    @Test("every emitted tree is read back as the full reader reads it, alone and after a --- line")
    func emittedTreesReadAsYams() throws {
        var trees = Trees(generator: SeededGenerator(seed: 15))
        var fast = 0
        for _ in 0..<3000 {
            let value = trees.value(depth: 0)
            let text = YAMLEmitter.document(value)
            let full = try YAMLDocuments.readFully(document(text)).get()
            #expect(full == (value == .null ? nil : value), "\(text)")
            let read = EmittedYAML.read(text[...])
            #expect(read == value, "\(text)")
            #expect(EmittedYAML.read(("---\n" + text)[...]) == value)
            if read != nil { fast += 1 }
        }
        #expect(fast == 3000)
    }

    /// The fast reader no longer writes what it read to compare it with the text: it must
    /// refuse, by itself, every text the emitter would not write.
    @Test("an emitted text changed anywhere is read fast only when the emitter writes it so, and then as the full reader reads it")
    func mutatedTexts() throws {
        var trees = Trees(generator: SeededGenerator(seed: 1515))
        var generator = SeededGenerator(seed: 4242)
        let pieces = [" ", "  ", "\n", "\n  ", "- ", ": ", ":", "\"", "'", "#", "\\", "0", "+1", "~", "null", "yes", "true", "{}", "[]", "\t", "\r"]
        var readFast = 0
        for _ in 0..<1500 {
            var bytes = Array(YAMLEmitter.document(trees.value(depth: 0)).utf8)
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                let at = Int.random(in: 0...bytes.count, using: &generator)
                switch Int.random(in: 0...2, using: &generator) {
                case 0 where at < bytes.count: bytes.remove(at: at)
                case 1 where at < bytes.count: bytes[at] = pieces.randomElement(using: &generator)!.utf8.first!
                default: bytes.insert(contentsOf: pieces.randomElement(using: &generator)!.utf8, at: at)
                }
            }
            let text = String(decoding: bytes, as: UTF8.self)
            guard let fast = EmittedYAML.read(text[...]) else { continue }
            readFast += 1
            #expect(EmittedYAML.emits(fast, as: Array(text.utf8)), "\(text)")
            let full = try YAMLDocuments.readFully(document(text)).get()
            #expect(full == (fast == .null ? nil : fast), "\(text)")
        }
        // Many changes leave a text the emitter writes (a digit for a digit, a key renamed):
        // 339 of these 1,500.
        #expect(readFast > 300)
    }

    @Test("a rendered object of every kind takes the fast path and parses to the same object")
    func renderedObjects() {
        for object in Samples.objects {
            let text = ManifestRenderer.yaml([object])
            #expect(EmittedYAML.read(text[...]) != nil, "\(text)")
            #expect(ManifestParser.parse(text, source: "x.yaml").objects == [object])
        }
    }

    @Test("other forms are left to the full reader", arguments: [
        "a: 1 # comment\n", "# head\na: 1\n", "a:\n    b: 1\n", "a:\n  - 1\n", "a: [1, 2]\n", "{a: 1}\n", "a: 1\n\n",
        "a: 1", "a: 1 \n", "a: 1\r\n", "a: 'x'\n", "a: |\n  text\n", "a: &x 1\nb: *x\n", "? a\n: 1\n", "a: 1\na: 2\n",
        "- a: 1\n  a: 2\n", "a:  1\n", "a:\n", "\u{FEFF}a: 1\n", "a: \"\\x41\"\n", "a: \"\\uFEFFx\"\n",
        // Scalars and keys in a form the emitter does not write: read fast, they must be
        // refused by the reader itself (it no longer writes them again to compare).
        "a: \"web\"\n", "a: +1\n", "a: 0x1F\n", "a: ~\n", "a: Null\n", "a: yes\n", "a: True\n", "a: -0\n",
        "\"a\": 1\n", "a: \"\\u0041\"\n", "a: \" lead\"x\n", "- \"x\"\n", "null: 1\n",
    ])
    func otherForms(text: String) {
        #expect(EmittedYAML.read(text[...]) == nil)
    }

    @Test("a repeated key is still refused, as the full reader refuses it")
    func repeatedKey() {
        let parsed = ManifestParser.parse("apiVersion: v1\nkind: Namespace\nkind: Namespace\nmetadata:\n  name: a\n", source: "x.yaml")
        #expect(parsed.objects.isEmpty)
        #expect(parsed.problems.count == 1)
    }
}
