/// An IPv6 address, parsed as Go's `net.ParseIP` reads one: eight groups of one to four
/// hex digits, one `::` standing for one or more zero groups, and an optional dotted IPv4
/// tail (`::ffff:192.0.2.1`). No zone (`%eth0`), no brackets.
public struct IPv6: Hashable, Sendable, CustomStringConvertible {
    /// The eight 16-bit groups, most significant first.
    public var groups: [UInt16]

    public init?(_ text: String) {
        // Every IPv6 address has a colon; a host name has none (nothing to split then).
        guard text.utf8.contains(UInt8(ascii: ":")) else { return nil }
        let bytes = Array(text.utf8)
        let halves = IPv6.splitOnDoubleColon(bytes)
        guard halves.count <= 2 else { return nil }
        guard let head = IPv6.groups(halves[0], allowIPv4Tail: halves.count == 1) else { return nil }
        if halves.count == 1 {
            guard head.count == 8 else { return nil }
            groups = head
            return
        }
        guard let tail = IPv6.groups(halves[1], allowIPv4Tail: true), head.count + tail.count < 8 else { return nil }
        groups = head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
    }

    /// RFC 5952 text: lower case, no leading zeros, the longest run of two or more zero
    /// groups written `::`.
    public var description: String {
        var bestStart = -1
        var bestLength = 1
        var index = 0
        while index < 8 {
            var end = index
            while end < 8 && groups[end] == 0 { end += 1 }
            if end - index > bestLength {
                bestStart = index
                bestLength = end - index
            }
            index = end == index ? index + 1 : end
        }
        let hex = groups.map { String($0, radix: 16) }
        guard bestStart >= 0 else { return hex.joined(separator: ":") }
        let before = hex[..<bestStart].joined(separator: ":")
        let after = hex[(bestStart + bestLength)...].joined(separator: ":")
        return before + "::" + after
    }

    private static func splitOnDoubleColon(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var parts: [ArraySlice<UInt8>] = []
        var start = 0
        var index = 0
        while index + 1 < bytes.count {
            if bytes[index] == ValidationBytes.colon && bytes[index + 1] == ValidationBytes.colon {
                parts.append(bytes[start..<index])
                index += 2
                start = index
            } else {
                index += 1
            }
        }
        parts.append(bytes[start...])
        return parts
    }

    /// Colon-separated groups; empty text gives no groups. The last may be dotted IPv4.
    private static func groups(_ text: ArraySlice<UInt8>, allowIPv4Tail: Bool) -> [UInt16]? {
        guard !text.isEmpty else { return [] }
        let parts = text.split(separator: ValidationBytes.colon, omittingEmptySubsequences: false)
        var result: [UInt16] = []
        for (index, part) in parts.enumerated() {
            if index == parts.count - 1, allowIPv4Tail, part.contains(ValidationBytes.dot) {
                guard let v4 = IPv4(part, allowLeadingZeros: false) else { return nil }
                result += [UInt16(truncatingIfNeeded: v4.value >> 16), UInt16(truncatingIfNeeded: v4.value)]
                continue
            }
            guard !part.isEmpty, part.count <= 4, part.allSatisfy(ValidationBytes.isHexDigit),
                let group = UInt16(String(decoding: part, as: UTF8.self), radix: 16)
            else { return nil }
            result.append(group)
        }
        return result.count <= 8 ? result : nil
    }
}

/// An IP address of either family, as Kubernetes fields that hold "an IP" accept them.
public enum IPAddress: Hashable, Sendable, CustomStringConvertible {
    case v4(IPv4)
    case v6(IPv6)

    public init?(_ text: String) {
        if let v4 = IPv4(text) {
            self = .v4(v4)
        } else if let v6 = IPv6(text) {
            self = .v6(v6)
        } else {
            return nil
        }
    }

    /// Whether a server would read `text` as an IP address, leading zeros and all
    /// (`ParseIPSloppy`): a host that does is refused as "not a DNS name".
    public static func looksLikeIPAddress(_ text: String) -> Bool {
        IPv4(text.utf8, allowLeadingZeros: true) != nil || IPv6(text) != nil
    }

    public var description: String {
        switch self {
        case .v4(let address): address.description
        case .v6(let address): address.description
        }
    }
}
