import GatewayKit

/// A compact binary form of manifest trees for the workspace index: a tag byte per value,
/// lengths as LEB128 varints. Decoding checks every length and tag against the bytes left,
/// so a corrupt or truncated index gives nil, never a trap or a wrong tree of another shape.
enum TreeCoding {
    private enum Tag: UInt8 {
        case null = 0, falseValue, trueValue, int, string, list, map
    }

    static func encode(_ trees: [ManifestTree], to out: inout [UInt8]) {
        appendVarint(UInt64(trees.count), to: &out)
        for tree in trees {
            appendVarint(UInt64(tree.document), to: &out)
            encode(tree.value, to: &out)
        }
    }

    static func encode(_ value: ManifestValue, to out: inout [UInt8]) {
        switch value {
        case .null: out.append(Tag.null.rawValue)
        case .bool(let flag): out.append(flag ? Tag.trueValue.rawValue : Tag.falseValue.rawValue)
        case .int(let number):
            out.append(Tag.int.rawValue)
            withUnsafeBytes(of: UInt64(bitPattern: Int64(number)).littleEndian) { out.append(contentsOf: $0) }
        case .string(let text):
            out.append(Tag.string.rawValue)
            appendString(text, to: &out)
        case .list(let items):
            out.append(Tag.list.rawValue)
            appendVarint(UInt64(items.count), to: &out)
            for item in items { encode(item, to: &out) }
        case .map(let fields):
            out.append(Tag.map.rawValue)
            appendVarint(UInt64(fields.count), to: &out)
            for field in fields {
                appendString(field.key, to: &out)
                encode(field.value, to: &out)
            }
        }
    }

    static func appendString(_ text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            appendVarint(UInt64(bytes.count), to: &out)
            out.append(contentsOf: bytes)
        }
    }

    static func appendVarint(_ value: UInt64, to out: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        out.append(UInt8(value))
    }

    static func decode(_ bytes: ArraySlice<UInt8>) -> [ManifestTree]? {
        var cursor = ByteCursor(bytes: bytes)
        guard let count = cursor.count() else { return nil }
        var trees: [ManifestTree] = []
        trees.reserveCapacity(count)
        for _ in 0..<count {
            guard let document = cursor.count(), let value = cursor.value(depth: 0) else { return nil }
            trees.append(ManifestTree(document: document, value: value))
        }
        return cursor.atEnd ? trees : nil
    }

    /// Reads what `TreeCoding` and `WorkspaceIndex` write, every read bounds-checked.
    struct ByteCursor {
        let bytes: ArraySlice<UInt8>
        var position: Int

        init(bytes: ArraySlice<UInt8>) {
            self.bytes = bytes
            position = bytes.startIndex
        }

        var atEnd: Bool { position == bytes.endIndex }

        mutating func byte() -> UInt8? {
            guard position < bytes.endIndex else { return nil }
            defer { position += 1 }
            return bytes[position]
        }

        mutating func varint() -> UInt64? {
            var value: UInt64 = 0
            for shift in stride(from: 0, to: 64, by: 7) {
                guard let byte = byte() else { return nil }
                value |= UInt64(byte & 0x7F) << UInt64(shift)
                if byte < 0x80 { return value }
            }
            return nil
        }

        /// A count or length, no larger than the bytes left (each element takes one at least).
        mutating func count() -> Int? {
            guard let value = varint(), value <= UInt64(bytes.endIndex - position) else { return nil }
            return Int(value)
        }

        mutating func word() -> UInt64? {
            guard bytes.endIndex - position >= 8 else { return nil }
            var value: UInt64 = 0
            for index in 0..<8 { value |= UInt64(bytes[position + index]) << UInt64(index * 8) }
            position += 8
            return value
        }

        mutating func slice(_ length: Int) -> ArraySlice<UInt8>? {
            guard length >= 0, bytes.endIndex - position >= length else { return nil }
            defer { position += length }
            return bytes[position..<position + length]
        }

        mutating func string() -> String? {
            guard let length = count(), let text = slice(length) else { return nil }
            return String(decoding: text, as: UTF8.self)
        }

        mutating func value(depth: Int) -> ManifestValue? {
            guard depth <= 200, let raw = byte(), let tag = Tag(rawValue: raw) else { return nil }
            switch tag {
            case .null: return .null
            case .falseValue: return .bool(false)
            case .trueValue: return .bool(true)
            case .int: return word().map { .int(Int(Int64(bitPattern: $0))) }
            case .string: return string().map(ManifestValue.string)
            case .list:
                guard let count = count() else { return nil }
                var items: [ManifestValue] = []
                items.reserveCapacity(count)
                for _ in 0..<count {
                    guard let item = value(depth: depth + 1) else { return nil }
                    items.append(item)
                }
                return .list(items)
            case .map:
                guard let count = count() else { return nil }
                var fields: [ManifestField] = []
                fields.reserveCapacity(count)
                for _ in 0..<count {
                    guard let key = string(), let item = value(depth: depth + 1) else { return nil }
                    fields.append(ManifestField(key, item))
                }
                return .map(fields)
            }
        }
    }
}
