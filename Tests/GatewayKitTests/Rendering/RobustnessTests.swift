import TestSupport
import GatewayKit
import Testing

/// The parser never traps: random text, mangled manifests, deep nesting and alias bombs
/// come back as problems (or nothing), never as a crash or a hang.
@Suite("Parser robustness")
struct RobustnessTests {
    static let alphabet = Array("ab: -[]{}\"'\\#&*!|>%@`?,\n\n  \t\r\u{0}\u{85}\u{FEFF}é😀0123.-eE+tnul~{}[]".unicodeScalars)

    @Test("random text", arguments: 0..<4)
    func randomText(_ batch: Int) {
        var generator = SeededGenerator(seed: UInt64(batch))
        for _ in 0..<500 {
            let length = Int.random(in: 0...120, using: &generator)
            var text = String.UnicodeScalarView()
            for _ in 0..<length { text.append(Self.alphabet.randomElement(using: &generator) ?? "a") }
            _ = ManifestParser.parse(String(text), source: "fuzz")
        }
    }

    @Test("rendered manifests with random bytes changed", arguments: 0..<4)
    func mangled(_ batch: Int) {
        var generator = SeededGenerator(seed: UInt64(100 + batch))
        let sources = [ManifestRenderer.yaml(Samples.objects), ManifestRenderer.json(Samples.objects)]
        for round in 0..<150 {
            var scalars = Array(sources[round % 2].unicodeScalars)
            for _ in 0..<Int.random(in: 1...6, using: &generator) where !scalars.isEmpty {
                let index = Int.random(in: 0..<scalars.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: scalars.remove(at: index)
                case 1: scalars.insert(Self.alphabet.randomElement(using: &generator) ?? "x", at: index)
                default: scalars[index] = Self.alphabet.randomElement(using: &generator) ?? "x"
                }
            }
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars)
            _ = ManifestParser.parse(String(view), source: "mangled")
        }
    }

    @Test("deep nesting is refused, not recursed into")
    func deepNesting() {
        for text in [String(repeating: "[", count: 100_000), String(repeating: "{a: ", count: 50_000),
                     "a: " + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000),
                     (0..<3000).map { String(repeating: " ", count: $0) + "a:" }.joined(separator: "\n")] {
            let result = ManifestParser.parse(text, source: "deep")
            #expect(result.objects.isEmpty)
            #expect(!result.problems.isEmpty)
        }
    }

    @Test("an alias bomb is refused")
    func aliasBomb() {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1..<12 {
            let previous = "*a\(level - 1)"
            text += "a\(level): &a\(level) [\(Array(repeating: previous, count: 10).joined(separator: ", "))]\n"
        }
        let result = ManifestParser.parse(text, source: "bomb")
        #expect(result.problems.first?.description.contains("expands to more than") == true)
    }
}
