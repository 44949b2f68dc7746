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
