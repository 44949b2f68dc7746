/// Turns terminal input into keys: raw bytes (the in-memory path, and anything curses does
/// not know) or the results of ncurses' `wget_wch`.
///
/// Both paths share one escape-sequence parser, so `ESC [ A` is an arrow whether curses
/// recognised it or passed it through byte by byte. Escape sequences follow xterm:
///
/// | input                      | key                       |
/// | -------------------------- | ------------------------- |
/// | `ESC [ A` … `ESC [ D`      | up, down, right, left     |
/// | `ESC O A` … `ESC O D`      | the same (keypad mode)    |
/// | `ESC [ 1 ; 5 A`            | up (modifiers dropped)    |
/// | `ESC O P` … `ESC O S`      | F1 … F4                   |
/// | `ESC [ 15 ~` … `ESC [ 24 ~` | F5 … F12                 |
/// | `ESC [ 2/3/5/6 ~`          | insert, delete, page up/down |
/// | `ESC [ H`, `ESC [ F`, `ESC [ 1/7 ~`, `ESC [ 4/8 ~` | home, end |
/// | `ESC [ Z`                  | back tab (Shift-Tab)      |
/// | `ESC x`                    | Alt-x                     |
/// | `ESC` then nothing         | escape, once `flush()` says the delay passed |
/// | `0x01` … `0x1A`            | Ctrl-a … Ctrl-z (but Tab, Enter, Backspace) |
/// | `0x7F`, `0x08`             | backspace                 |
/// | `0x0D`, `0x0A`             | enter                     |
/// | UTF-8 sequences            | the character             |
public struct KeyDecoder: Sendable {
    /// One unit of input: a Unicode scalar, or a key that curses already decoded.
    public enum Token: Hashable, Sendable {
        case scalar(Unicode.Scalar)
        case key(Key)
        case resize
    }

    /// What the decoder produces: a key, or that curses reported a resize.
    public enum Output: Hashable, Sendable {
        case key(Key)
        case resize
    }

    private var utf8: [UInt8] = []
    private var pending: [Token] = []

    public init() {}

    /// True while an escape sequence is incomplete: the caller waits the escape delay for
    /// more input and calls `flush()` when none came.
    public var hasPendingInput: Bool { !pending.isEmpty || !utf8.isEmpty }

    /// Decodes raw bytes, keeping an incomplete UTF-8 or escape sequence for the next call.
    public mutating func decode(bytes: some Sequence<UInt8>) -> [Key] {
        var tokens: [Token] = []
        for byte in bytes {
            utf8.append(byte)
            let expected = KeyDecoder.utf8Length(leadingByte: utf8[0])
            if expected == 0 {
                utf8.removeAll()  // a stray continuation or invalid byte: dropped
                continue
            }
            guard utf8.count == expected else { continue }
            var iterator = utf8.makeIterator()
            var codec = UTF8()
            if case .scalarValue(let scalar) = codec.decode(&iterator) {
                tokens.append(.scalar(scalar))
            }
            utf8.removeAll()
        }
        return decode(tokens: tokens, final: false).compactMap { output in
            if case .key(let key) = output { return key }
            return nil
        }
    }

    /// Decodes tokens. With `final`, nothing more is coming now (the escape delay has
    /// passed), so an incomplete sequence is resolved instead of kept.
    public mutating func decode(tokens: [Token], final: Bool) -> [Output] {
        pending.append(contentsOf: tokens)
        var outputs: [Output] = []
        while !pending.isEmpty {
            switch KeyDecoder.parse(pending, final: final) {
            case .needMore:
                return outputs
            case .consumed(let count, let output):
                pending.removeFirst(count)
                if let output { outputs.append(output) }
            }
        }
        return outputs
    }

    /// Resolves whatever is pending as if the escape delay had passed: a lone ESC is Escape.
    public mutating func flush() -> [Key] {
        utf8.removeAll()
        return decode(tokens: [], final: true).compactMap { output in
            if case .key(let key) = output { return key }
            return nil
        }
    }

    private enum Step {
        case needMore
        case consumed(Int, Output?)
    }

    private static func parse(_ tokens: [Token], final: Bool) -> Step {
        switch tokens[0] {
        case .key(let key): return .consumed(1, .key(key))
        case .resize: return .consumed(1, .resize)
        case .scalar(let scalar):
            if scalar.value == 0x1B { return parseEscape(tokens, final: final) }
            return .consumed(1, plainKey(scalar).map(Output.key))
        }
    }

    private static func parseEscape(_ tokens: [Token], final: Bool) -> Step {
        guard tokens.count > 1 else { return final ? .consumed(1, .key(.escape)) : .needMore }
        guard case .scalar(let second) = tokens[1] else { return .consumed(1, .key(.escape)) }
        switch second {
        case "[", "O":
            return parseSequence(tokens, introducer: second, final: final)
        case "\u{1B}":
            return .consumed(1, .key(.escape))
        default:
            if let key = plainKey(second), case .character(let character) = key {
                return .consumed(2, .key(.alt(character)))
            }
            return .consumed(1, .key(.escape))
        }
    }

    /// `ESC [` (CSI) or `ESC O` (SS3): parameter bytes, then one final byte.
    private static func parseSequence(_ tokens: [Token], introducer: Unicode.Scalar, final: Bool) -> Step {
        var parameters = ""
        var index = 2
        // The Linux console's F1–F5 are `ESC [ [ A` … `ESC [ [ E`.
        if introducer == "[", index < tokens.count, case .scalar("[") = tokens[index] {
            guard index + 1 < tokens.count else { return final ? .consumed(3, nil) : .needMore }
            if case .scalar(let letter) = tokens[index + 1], ("A"..."E").contains(letter) {
                return .consumed(4, .key(.function(Int(letter.value - 0x40))))
            }
            return .consumed(3, nil)
        }
        while index < tokens.count {
            guard case .scalar(let scalar) = tokens[index] else { return .consumed(index, nil) }
            switch scalar.value {
            case 0x30...0x3F:
                parameters.unicodeScalars.append(scalar)
                index += 1
            case 0x40...0x7E:
                let key = sequenceKey(introducer: introducer, parameters: parameters, final: scalar)
                return .consumed(index + 1, key.map(Output.key))
            default:
                return .consumed(index, nil)  // malformed: drop what was read
            }
        }
        if final {
            // `ESC [` or `ESC O` with nothing after is Alt-[ or Alt-O, typed by hand.
            if index == 2 { return .consumed(2, .key(.alt(Character(introducer)))) }
            return .consumed(index, nil)
        }
        return .needMore
    }

    private static func sequenceKey(introducer: Unicode.Scalar, parameters: String, final: Unicode.Scalar) -> Key? {
        switch final {
        case "A": return .up
        case "B": return .down
        case "C": return .right
        case "D": return .left
        case "H": return .home
        case "F": return .end
        case "Z": return .backTab
        case "M" where introducer == "O": return .enter
        case "P": return .function(1)
        case "Q": return .function(2)
        case "R": return .function(3)
        case "S": return .function(4)
        case "~":
            let number = parameters.split(separator: ";").first.flatMap { Int($0) } ?? 0
            return tildeKey(number)
        default: return nil
        }
    }

    private static func tildeKey(_ number: Int) -> Key? {
        switch number {
        case 1, 7: return .home
        case 2: return .insert
        case 3: return .delete
        case 4, 8: return .end
        case 5: return .pageUp
        case 6: return .pageDown
        case 11...15: return .function(number - 10)
        case 17...21: return .function(number - 11)
        case 23...26: return .function(number - 12)
        case 28...29: return .function(number - 13)
        case 31...34: return .function(number - 14)
        default: return nil
        }
    }

    /// A key that is a single scalar: control characters, or a character as typed.
    static func plainKey(_ scalar: Unicode.Scalar) -> Key? {
        switch scalar.value {
        case 0x0D, 0x0A: return .enter
        case 0x09: return .tab
        case 0x08, 0x7F: return .backspace
        case 0x1B: return .escape
        case 0x00: return .ctrl("@")
        case 0x01...0x1A: return .ctrl(Character(Unicode.Scalar(UInt8(scalar.value) + 0x60)))
        case 0x1C...0x1F: return .ctrl(Character(Unicode.Scalar(UInt8(scalar.value) + 0x40)))
        case 0x80..<0xA0: return nil
        default: return .character(Character(scalar))
        }
    }

    private static func utf8Length(leadingByte byte: UInt8) -> Int {
        switch byte {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: return 2
        case 0xE0...0xEF: return 3
        case 0xF0...0xF4: return 4
        default: return 0
        }
    }
}
