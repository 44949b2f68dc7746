import GatewayKit
import Testing

@Suite("IP addresses")
struct IPAddressTests {
    @Test(arguments: ["0.0.0.0", "1.2.3.4", "139.198.0.20", "255.255.255.255", "10.0.0.1"])
    func ipv4RoundTrips(_ text: String) {
        #expect(IPv4(text)?.description == text)
    }

    @Test(arguments: ["", "1", "1.2.3", "1.2.3.4.", ".1.2.3.4", "1..2.3", "256.0.0.0", "01.2.3.4", "1.2.3.04",
        "1.2.3.4 ", "a.b.c.d", "1.2.3.-4", "+1.2.3.4", "1.2.3.4/32", "١.٢.٣.٤", "1000.2.3.4"])
    func ipv4Refuses(_ text: String) {
        #expect(IPv4(text) == nil)
    }

    /// What a server would take for an IP address: leading zeros too (Kubernetes'
    /// `ParseIPSloppy`), never more than three digits an octet.
    @Test(arguments: [
        ("010.0.0.1", true), ("00.000.0.255", true), ("1.2.3.4", true), ("::1", true), ("0001.0.0.1", false),
        ("1.2.3.256", false), ("1.2.3", false), ("1.2.3.4.5", false), ("a.example.com", false), ("1.2.3.4x", false),
    ])
    func looksLikeIPAddress(_ text: String, _ looksLikeOne: Bool) {
        #expect(IPAddress.looksLikeIPAddress(text) == looksLikeOne)
    }

    @Test func ipv4Arithmetic() {
        #expect(IPv4(1, 2, 3, 255).successor() == IPv4(1, 2, 4, 0))
        #expect(IPv4(255, 255, 255, 255).successor() == nil)
        #expect(IPv4(1, 2, 3, 4).octets == [1, 2, 3, 4])
        #expect(IPv4(10, 0, 0, 1) < IPv4(10, 0, 0, 2))
    }

    @Test(arguments: [
        ("::", "::"), ("::1", "::1"), ("2001:db8::1", "2001:db8::1"), ("2001:0DB8:0:0:0:0:0:1", "2001:db8::1"),
        ("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"), ("::ffff:192.0.2.1", "::ffff:c000:201"), ("1:0:0:2:0:0:0:3", "1:0:0:2::3"),
        ("fe80::1:2:3:4", "fe80::1:2:3:4"), ("1::", "1::"), ("1:0:2:3:4:5:6:7", "1:0:2:3:4:5:6:7"),
    ])
    func ipv6Parses(_ text: String, _ canonical: String) {
        #expect(IPv6(text)?.description == canonical)
    }

    @Test(arguments: ["", ":", ":::", "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::", "g::1", ":1::",
        "1:2:3:4:5:6:7::8", "1.2.3.4::", "fe80::1%eth0", "[::1]", "::1.2.3"])
    func ipv6Refuses(_ text: String) {
        #expect(IPv6(text) == nil)
    }

    @Test(arguments: [
        ("192.168.0.91", "192.168.0.91", "192.168.0.91", 1),
        ("192.168.0.91-192.168.0.100", "192.168.0.91", "192.168.0.100", 10),
        ("192.168.0.0/28", "192.168.0.0", "192.168.0.15", 16),
        ("10.0.0.7/32", "10.0.0.7", "10.0.0.7", 1),
        ("0.0.0.0/0", "0.0.0.0", "255.255.255.255", 1 << 32),
        ("1.2.3.4-1.2.3.4", "1.2.3.4", "1.2.3.4", 1),
    ])
    func rangesParse(_ text: String, _ first: String, _ last: String, _ count: Int) throws {
        let range = try IPv4Range.parse(text).get()
        #expect(range.first.description == first)
        #expect(range.last.description == last)
        #expect(range.count == count)
    }

    @Test(arguments: [
        ("", IPv4Range.formatReason), ("1.2.3", IPv4Range.formatReason), ("a-b", IPv4Range.formatReason),
        ("1.2.3.4-", IPv4Range.formatReason), ("1.2.3.4/", IPv4Range.formatReason), ("1.2.3.4/08", IPv4Range.formatReason),
        ("1.2.3.4/x", IPv4Range.formatReason), ("1.2.3.4-1.2.3.5-1.2.3.6", IPv4Range.formatReason),
        ("1.2.3.9-1.2.3.1", "the range's first address 1.2.3.9 is after its last address 1.2.3.1"),
        ("1.2.3.4/33", "a CIDR prefix length must be between 0 and 32"),
        ("192.168.0.5/28", "has host bits set: the network is 192.168.0.0/28"),
    ])
    func rangesRefuse(_ text: String, _ reason: String) {
        #expect(IPv4Range.parse(text) == .failure(IPv4Range.ParseError(reason: reason)))
        #expect(IPv4Range(text) == nil)
    }

    @Test func rangesEnumerate() throws {
        let range = try IPv4Range.parse("192.168.0.254-192.168.1.1").get()
        #expect(range.map(\.description) == ["192.168.0.254", "192.168.0.255", "192.168.1.0", "192.168.1.1"])
        #expect(range.contains(IPv4(192, 168, 1, 0)))
        #expect(!range.contains(IPv4(192, 168, 1, 2)))
        #expect(range.description == "192.168.0.254-192.168.1.1")
        let top = try IPv4Range.parse("255.255.255.254/31").get()
        #expect(top.map(\.description) == ["255.255.255.254", "255.255.255.255"])
        #expect(range.overlaps(try IPv4Range.parse("192.168.1.1").get()))
        #expect(!range.overlaps(top))
    }
}
