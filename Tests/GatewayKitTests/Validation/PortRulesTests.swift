import GatewayKit
import Testing

@Suite("Ports")
struct PortRulesTests {
    @Test(arguments: ["http", "https", "h2c", "web-8080", "a", "a1", "1a", "a-b-c", "abcdefghijklmno"])
    func portNameAccepts(_ name: String) {
        #expect(Validate.portName(name) == [])
    }

    @Test(arguments: [
        ("http--x", ["must not contain consecutive hyphens"]),
        ("-http", ["must not begin or end with a hyphen"]),
        ("http-", ["must not begin or end with a hyphen"]),
        ("1234", ["must contain at least one letter (a-z)"]),
        ("a234567890123456", ["must be no more than 15 characters"]),
        ("HTTP", ["must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)", "must contain at least one letter (a-z)"]),
        ("http_x", ["must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"]),
        ("", ["must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)", "must contain at least one letter (a-z)"]),
    ])
    func portNameRefuses(_ name: String, _ expected: [String]) {
        #expect(Validate.portName(name) == expected)
    }

    @Test(arguments: [1, 80, 443, 8080, 65535])
    func portNumberAccepts(_ port: Int) {
        #expect(Validate.portNumber(port) == [])
    }

    @Test(arguments: [0, -1, 65536, Int.max, Int.min])
    func portNumberRefuses(_ port: Int) {
        #expect(Validate.portNumber(port) == ["must be between 1 and 65535, inclusive"])
    }

    @Test func nodePortRange() {
        #expect(Validate.nodePort(30000, in: 30000...32767) == [])
        #expect(Validate.nodePort(32767, in: 30000...32767) == [])
        #expect(Validate.nodePort(29999, in: 30000...32767) == ["not in the valid range 30000-32767"])
        #expect(Validate.nodePort(80, in: 20000...22000) == ["not in the valid range 20000-22000"])
    }

    @Test func protocols() {
        #expect(Validate.portProtocol("TCP") == [])
        #expect(Validate.portProtocol("SCTP") == [])
        #expect(Validate.portProtocol("tcp") == [#"unsupported value "tcp": supported values are "TCP", "UDP", "SCTP""#])
    }

    @Test(arguments: ["8080", "http", "1"])
    func targetPortAccepts(_ text: String) {
        #expect(Validate.portNumberOrName(text) == [])
    }

    @Test(arguments: ["0", "70000", "-1", "http--x", ""])
    func targetPortRefuses(_ text: String) {
        #expect(!Validate.portNumberOrName(text).isEmpty)
    }
}
