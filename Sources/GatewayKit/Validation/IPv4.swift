/// An IPv4 address as a value: parsed strictly from dotted-quad text, ordered, and
/// stepped through one at a time (the address pool assigner hands out `successor()`s).
///
/// ```swift
/// IPv4("139.198.0.20")?.description   // "139.198.0.20"
/// IPv4("010.0.0.1")                   // nil: leading zeros are ambiguous (octal?)
/// ```
public struct IPv4: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var value: UInt32

    public init(_ value: UInt32) { self.value = value }

    public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        value = UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
    }

    /// Four decimal octets 0–255 joined by dots, with no leading zeros (as Go's
    /// `net.ParseIP` reads them since Go 1.17), and nothing else.
    public init?(_ text: String) { self.init(text.utf8, allowLeadingZeros: false) }

    /// Also reads `010.0.0.1`, as Kubernetes' `ParseIPSloppy` does: used to recognise
    /// text that a server would take for an IP address.
    init?<C: Collection<UInt8>>(_ bytes: C, allowLeadingZeros: Bool) {
        // One pass over the bytes, nothing allocated: every host and address of a
        // workspace is tried as an IPv4 address when it is validated.
        var result: UInt32 = 0
        var octets = 0
        var digits = 0
        var number = 0
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                guard digits > 0, octets < 3 else { return nil }
                result = result << 8 | UInt32(number)
                octets += 1
                digits = 0
                number = 0
                continue
            }
            guard ValidationBytes.isDigit(byte), digits < 3 else { return nil }
            if !allowLeadingZeros && digits == 1 && number == 0 { return nil }
            number = number * 10 + Int(byte - UInt8(ascii: "0"))
            digits += 1
            guard number <= 255 else { return nil }
        }
        guard digits > 0, octets == 3 else { return nil }
        value = result << 8 | UInt32(number)
    }

    public var octets: [UInt8] { [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> $0) } }

    public var description: String { octets.map(String.init).joined(separator: ".") }

    /// The next address, or nil after `255.255.255.255`.
    public func successor() -> IPv4? { value == .max ? nil : IPv4(value + 1) }

    public static func < (lhs: IPv4, rhs: IPv4) -> Bool { lhs.value < rhs.value }
}

/// A contiguous run of IPv4 addresses, as an OpenELB `Eip` writes its `spec.address`: one
/// address `192.168.0.91`, a range `192.168.0.91-192.168.0.100`, or a CIDR `192.168.0.0/28`
/// (every address of the block, network and broadcast included, as OpenELB hands them out).
///
/// ```swift
/// let pool = try IPv4Range.parse("192.168.0.91-192.168.0.100").get()
/// pool.count                  // 10
/// Array(pool.prefix(2))       // [192.168.0.91, 192.168.0.92]
/// ```
public struct IPv4Range: Hashable, Sendable, Sequence, CustomStringConvertible {
    public let first: IPv4
    public let last: IPv4

    /// Nil when `first` is after `last`.
    public init?(first: IPv4, last: IPv4) {
        guard first <= last else { return nil }
        self.first = first
        self.last = last
    }

    /// `a`, `a-b` or `a/n`; nil when the text is none of them. `parse` says why.
    public init?(_ text: String) {
        guard case .success(let range) = IPv4Range.parse(text) else { return nil }
        self = range
    }

    /// Why a text is not a range, in words for the operator.
    public struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        public var reason: String
        public init(reason: String) { self.reason = reason }
        public var description: String { reason }
    }

    public static let formatReason =
        "must be an IPv4 address, a range 'a-b' of IPv4 addresses or a CIDR 'a/n' "
        + "(e.g. '192.168.0.91', '192.168.0.91-192.168.0.100' or '192.168.0.0/28')"

    public static func parse(_ text: String) -> Result<IPv4Range, ParseError> {
        let bytes = Array(text.utf8)
        if let slash = bytes.firstIndex(of: UInt8(ascii: "/")) {
            return parseCIDR(address: bytes[..<slash], prefix: bytes[(slash + 1)...])
        }
        if let dash = bytes.firstIndex(of: UInt8(ascii: "-")) {
            guard let a = IPv4(bytes[..<dash], allowLeadingZeros: false),
                let b = IPv4(bytes[(dash + 1)...], allowLeadingZeros: false)
            else { return .failure(ParseError(reason: formatReason)) }
            guard let range = IPv4Range(first: a, last: b) else {
                return .failure(ParseError(reason: "the range's first address \(a) is after its last address \(b)"))
            }
            return .success(range)
        }
        guard let single = IPv4(bytes[...], allowLeadingZeros: false) else {
            return .failure(ParseError(reason: formatReason))
        }
        return .success(IPv4Range(single: single))
    }

    private static func parseCIDR(address: ArraySlice<UInt8>, prefix: ArraySlice<UInt8>) -> Result<IPv4Range, ParseError> {
        guard let network = IPv4(address, allowLeadingZeros: false), !prefix.isEmpty, prefix.count <= 2,
            prefix.allSatisfy(ValidationBytes.isDigit), prefix.count == 1 || prefix.first != UInt8(ascii: "0")
        else { return .failure(ParseError(reason: formatReason)) }
        let length = prefix.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        guard length <= 32 else { return .failure(ParseError(reason: "a CIDR prefix length must be between 0 and 32")) }
        let hostBits: UInt32 = length == 0 ? .max : (UInt32(1) << (32 - length)) &- 1
        let base = IPv4(network.value & ~hostBits)
        guard base == network else {
            return .failure(ParseError(reason: "has host bits set: the network is \(base)/\(length)"))
        }
        return .success(IPv4Range(uncheckedFirst: base, last: IPv4(base.value | hostBits)))
    }

    private init(single: IPv4) { self.init(uncheckedFirst: single, last: single) }
    private init(uncheckedFirst first: IPv4, last: IPv4) {
        self.first = first
        self.last = last
    }

    /// How many addresses: up to 2^32 for `0.0.0.0/0`.
    public var count: Int { Int(last.value) - Int(first.value) + 1 }

    public func contains(_ address: IPv4) -> Bool { first <= address && address <= last }

    /// Whether the two ranges share an address (two pools must not).
    public func overlaps(_ other: IPv4Range) -> Bool { first <= other.last && other.first <= last }

    /// `192.168.0.91` or `192.168.0.91-192.168.0.100`.
    public var description: String { first == last ? "\(first)" : "\(first)-\(last)" }

    public func makeIterator() -> Iterator { Iterator(upcoming: first, last: last) }

    public struct Iterator: IteratorProtocol, Sendable {
        fileprivate var upcoming: IPv4?
        fileprivate let last: IPv4

        public mutating func next() -> IPv4? {
            guard let current = upcoming, current <= last else { return nil }
            upcoming = current == last ? nil : current.successor()
            return current
        }
    }

    public var underestimatedCount: Int { count }
}
