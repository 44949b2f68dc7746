/// SplitMix64: a tiny, fast, seeded generator, so that a failing property test can be
/// replayed from the seed it prints.
struct ValidationRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

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
