import TestSupport

/// The property tests' generator: TestSupport's seeded SplitMix64, with the draws they use.
typealias ValidationRandom = SeededGenerator

extension SeededGenerator {
    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }

    mutating func chance(_ probability: Double) -> Bool { Double.random(in: 0..<1, using: &self) < probability }

    mutating func pick<T>(_ items: [T]) -> T {
        items[Int.random(in: 0..<items.count, using: &self)]
    }

    /// `count` characters drawn from `alphabet`.
    mutating func string(_ alphabet: String, count: Int) -> String {
        let characters = Array(alphabet)
        return String((0..<count).map { _ in pick(characters) })
    }

    /// A DNS-1123 label of 1…`maxLength` characters, sometimes with inner dashes.
    mutating func label(maxLength: Int = 20, startWithLetter: Bool = false) -> String {
        let length = int(1...maxLength)
        let first = string(startWithLetter ? Alphabet.lower : Alphabet.lowerDigits, count: 1)
        guard length > 1 else { return first }
        let middle = string(Alphabet.lowerDigits + "-", count: length - 2)
        return first + middle + string(Alphabet.lowerDigits, count: 1)
    }

    /// Any scalars at all: controls, surrogate-free planes, combining marks.
    mutating func anyText(maxLength: Int) -> String {
        var text = ""
        for _ in 0..<int(0...maxLength) {
            let value: UInt32 =
                switch int(0...3) {
                case 0: UInt32(int(0...0x7F))
                case 1: UInt32(int(0x80...0x7FF))
                case 2: UInt32(int(0x800...0xD7FF))
                default: UInt32(int(0xE000...0x10FFFF))
                }
            if let scalar = Unicode.Scalar(value) { text.unicodeScalars.append(scalar) }
        }
        return text
    }
}

enum Alphabet {
    static let lower = "abcdefghijklmnopqrstuvwxyz"
    static let lowerDigits = lower + "0123456789"
    static let pathSafe = lowerDigits + "ABCXYZ_~-"
}
