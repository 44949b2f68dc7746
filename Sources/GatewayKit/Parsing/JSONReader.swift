/// Reads JSON (RFC 8259) into `ManifestValue`s: one value, or a stream of values separated
/// by whitespace as kubectl accepts. Written by hand because libyaml, which reads YAML,
/// refuses some characters that JSON allows raw (NEL, U+FEFF, non-characters), and
/// Foundation's reader loses key order and blurs booleans with numbers.
///
/// Integers become `.int`; other numbers keep their text as `.string`, as the YAML path
/// does. Nesting is bounded, duplicate keys are refused, and no input traps.
///
/// The one JSON reader of kgate: manifests, and the Kubernetes API's answers and watch events.
public struct JSONReader {
    public struct Failure: Error, Hashable, Sendable, CustomStringConvertible {
        public var line: Int
        public var column: Int
        public var reason: String
        public var document: Int

        var fieldError: FieldError { FieldError(FieldPath("line \(line), column \(column)"), reason) }
        public var description: String { "line \(line), column \(column): \(reason)" }
    }

    private let bytes: [UInt8]
    private var position = 0
    private var document = 0

    init(_ text: String) { self.init(bytes: Array(text.utf8)) }

    init(bytes: [UInt8]) {
        self.bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
    }

    /// Exactly one JSON value (an API answer, a watch event line).
    public static func read(_ bytes: some Collection<UInt8>) throws(Failure) -> ManifestValue {
        var reader = JSONReader(bytes: Array(bytes))
        switch reader.values() {
        case .failure(let failure): throw failure
        case .success(let values):
            guard values.count == 1, let value = values.first else {
                throw Failure(line: 1, column: 1, reason: "expected one JSON value, found \(values.count)", document: 0)
            }
            return value
        }
    }

    public static func read(_ text: String) throws(Failure) -> ManifestValue { try read(Array(text.utf8)) }

    /// Whether `text` starts (after a byte-order mark and whitespace) like JSON.
    static func looksLikeJSON(_ text: String) -> Bool {
        for scalar in text.unicodeScalars {
            switch scalar {
            case " ", "\t", "\n", "\r", "\u{FEFF}": continue
            case "{", "[": return true
            default: return false
            }
        }
        return false
    }

    /// Every value of the stream, in order.
    mutating func values() -> Result<[ManifestValue], Failure> {
        var result: [ManifestValue] = []
        do {
            skipWhitespace()
            while position < bytes.count {
                result.append(try value(depth: 0))
                document += 1
                skipWhitespace()
            }
            return .success(result)
        } catch {
            return .failure(error)
        }
    }

    private mutating func value(depth: Int) throws(Failure) -> ManifestValue {
        guard depth <= YAMLDocuments.maximumDepth else { throw failure("nested deeper than kgate reads") }
        skipWhitespace()
        guard position < bytes.count else { throw failure("unexpected end of JSON") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw failure("unexpected character")
        }
    }

    private mutating func object(depth: Int) throws(Failure) -> ManifestValue {
        position += 1
        var fields: [ManifestField] = []
        var keys: Set<String> = []
        skipWhitespace()
        if peek(UInt8(ascii: "}")) { position += 1; return .map(fields) }
        while true {
            skipWhitespace()
            guard peek(UInt8(ascii: "\"")) else { throw failure("expected a string key") }
            let key = try string()
            guard keys.insert(key).inserted else { throw failure("duplicate key \(jsonQuoted(key))") }
            skipWhitespace()
            guard peek(UInt8(ascii: ":")) else { throw failure("expected ':'") }
            position += 1
            fields.append(ManifestField(key, try value(depth: depth + 1)))
            skipWhitespace()
            if peek(UInt8(ascii: ",")) { position += 1; continue }
            if peek(UInt8(ascii: "}")) { position += 1; return .map(fields) }
            throw failure("expected ',' or '}'")
        }
    }

    private mutating func array(depth: Int) throws(Failure) -> ManifestValue {
        position += 1
        var items: [ManifestValue] = []
        skipWhitespace()
        if peek(UInt8(ascii: "]")) { position += 1; return .list(items) }
        while true {
            items.append(try value(depth: depth + 1))
            skipWhitespace()
            if peek(UInt8(ascii: ",")) { position += 1; continue }
            if peek(UInt8(ascii: "]")) { position += 1; return .list(items) }
            throw failure("expected ',' or ']'")
        }
    }

    private mutating func string() throws(Failure) -> String {
        position += 1
        var out: [UInt8] = []
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                position += 1
                guard position < bytes.count else { break }
                let escape = bytes[position]
                position += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"): out.append(contentsOf: String(try unicodeEscape()).utf8)
                default: throw failure("invalid escape")
                }
            case 0..<0x20:
                throw failure("control characters must be escaped in JSON strings")
            default:
                out.append(byte)
                position += 1
            }
        }
        throw failure("unterminated string")
    }

    /// After `\u`: four hex digits, and a second `\uXXXX` for a surrogate pair.
    private mutating func unicodeEscape() throws(Failure) -> Unicode.Scalar {
        let first = try hex4()
        if (0xD800..<0xDC00).contains(first) {
            guard peek(UInt8(ascii: "\\")), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "u") else {
                throw failure("unpaired surrogate in \\u escape")
            }
            position += 2
            let second = try hex4()
            guard (0xDC00..<0xE000).contains(second) else { throw failure("unpaired surrogate in \\u escape") }
            let value = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            guard let scalar = Unicode.Scalar(value) else { throw failure("invalid \\u escape") }
            return scalar
        }
        guard let scalar = Unicode.Scalar(first) else { throw failure("unpaired surrogate in \\u escape") }
        return scalar
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        guard position + 4 <= bytes.count else { throw failure("invalid \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("invalid \\u escape")
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    private mutating func number() throws(Failure) -> ManifestValue {
        let start = position
        var isInteger = true
        if peek(UInt8(ascii: "-")) { position += 1 }
        guard digits() > 0 else { throw failure("invalid number") }
        if peek(UInt8(ascii: ".")) {
            position += 1
            isInteger = false
            guard digits() > 0 else { throw failure("invalid number") }
        }
        if peek(UInt8(ascii: "e")) || peek(UInt8(ascii: "E")) {
            position += 1
            isInteger = false
            if peek(UInt8(ascii: "+")) || peek(UInt8(ascii: "-")) { position += 1 }
            guard digits() > 0 else { throw failure("invalid number") }
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        if isInteger, let number = Int(text) { return .int(number) }
        return .string(text)
    }

    private mutating func digits() -> Int {
        let start = position
        while position < bytes.count, bytes[position] >= UInt8(ascii: "0"), bytes[position] <= UInt8(ascii: "9") {
            position += 1
        }
        return position - start
    }

    private mutating func literal(_ word: String) throws(Failure) {
        let expected = Array(word.utf8)
        guard position + expected.count <= bytes.count, Array(bytes[position..<(position + expected.count)]) == expected else {
            throw failure("unexpected character")
        }
        position += expected.count
    }

    private func peek(_ byte: UInt8) -> Bool { position < bytes.count && bytes[position] == byte }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    /// A failure at the current position, with its 1-based line and column.
    private func failure(_ reason: String) -> Failure {
        let end = min(position, bytes.count)
        var line = 1
        var lineStart = 0
        for index in 0..<end where bytes[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        return Failure(line: line, column: end - lineStart + 1, reason: reason, document: document)
    }
}
