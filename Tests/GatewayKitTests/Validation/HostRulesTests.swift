import GatewayKit
import Testing

@Suite("Hosts")
struct HostRulesTests {
    @Test(arguments: [
        "example.com", "demo.kubesphere.io", "*.example.com", "*.a.b.c", "a", "nginx.demo.192.168.0.2.nip.io",
        "xn--bcher-kva.example", "1.2.3.4.nip.io", "*.a", repeated("a", 253),
    ])
    func accepts(_ host: String) {
        #expect(Validate.ingressHost(host) == [])
    }

    @Test(arguments: [
        "*.*.example.com", "foo*.example.com", "*", "*.", "a.*.example.com", "*example.com", "App.example.com",
        "example.com.", "a_b.com", "-a.com", "a-.com", "a..com", "example.com:80", "bücher.example",
        "exa mple.com", "example.com\n", "", repeated("a", 254), "*." + repeated("a", 252),
    ])
    func refuses(_ host: String) {
        #expect(!Validate.ingressHost(host).isEmpty)
    }

    @Test(arguments: ["1.2.3.4", "0.0.0.0", "255.255.255.255", "010.001.002.003", "::1", "2001:db8::1", "::ffff:1.2.3.4"])
    func refusesIPAddresses(_ host: String) {
        #expect(Validate.ingressHost(host) == ["must be a DNS name, not an IP address"])
    }

    @Test func wildcardWording() {
        #expect(Validate.ingressHost("*.*.example.com").first?.hasPrefix("a wildcard DNS-1123 subdomain must start with '*.'") == true)
    }

    @Test(arguments: ["10.9.8.7", "2001:db8::ffff", "::", "::1", "fe80::1:2:3:4"])
    func ipAddressAccepts(_ text: String) {
        #expect(Validate.ipAddress(text) == [])
    }

    @Test(arguments: ["", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "fe80::1%eth0", "[::1]", "host", " 1.2.3.4"])
    func ipAddressRefuses(_ text: String) {
        #expect(!Validate.ipAddress(text).isEmpty)
    }
}
