import GatewayKit
import Testing

/// Kubernetes' own vectors (apimachinery `validation_test.go`), plus lengths.
@Suite("Names")
struct NameRulesTests {
    @Test(arguments: [
        "a", "ab", "abc", "a1", "a-1", "a--1--2--b", "0", "01", "012", "1a", "1-a", "1--a--b--2",
        repeated("a", 63),
    ])
    func dns1123LabelAccepts(_ value: String) {
        #expect(Validate.dns1123Label(value) == [])
    }

    @Test(arguments: [
        "", "A", "ABC", "aBc", "A1", "A-1", "1-A", "-", "a-", "-a", "1-", "-1", "_", "a_", "_a", "a_b",
        "1_", "_1", "1_2", ".", "a.", ".a", "a.b", "1.", ".1", "1.2", " ", "a ", " a", "a b", "1 ", " 1",
        "1 2", "a@b", "a,b", "a;b", "a:b", "a%b", "a?b", "a$b", "ä", "a\nb", repeated("a", 64),
    ])
    func dns1123LabelRefuses(_ value: String) {
        #expect(!Validate.dns1123Label(value).isEmpty)
    }

    @Test func dns1123LabelWording() {
        #expect(Validate.dns1123Label(repeated("a", 64)) == ["must be no more than 63 characters"])
        #expect(Validate.dns1123Label("Demo").first?.hasPrefix("a lowercase RFC 1123 label must consist of") == true)
    }

    @Test(arguments: [
        "a", "ab", "abc", "a1", "a-1", "a--1--2--b", "0", "01", "012", "1a", "1-a", "1--a--b--2", "a.a", "ab.a",
        "abc.a", "a1.a", "a-1.a", "a--1--2--b.a", "a.1", "ab.1", "abc.1", "a1.1", "a-1.1", "a--1--2--b.1",
        "0.a", "01.a", "012.a", "1a.a", "1-a.a", "1--a--b--2", "0.1", "01.1", "012.1", "1a.1", "1-a.1",
        "1--a--b--2.1", "a.b.c.d.e", "aa.bb.cc.dd.ee", "1.2.3.4.5", "11.22.33.44.55", repeated("a", 253),
    ])
    func dns1123SubdomainAccepts(_ value: String) {
        #expect(Validate.dns1123Subdomain(value) == [])
    }

    @Test(arguments: [
        "", "A", "ABC", "aBc", "A1", "A-1", "1-A", "-", "a-", "-a", "1-", "-1", "_", "a_", "_a", "a_b", "1_",
        "_1", "1_2", ".", "a.", ".a", "a..b", "1.", ".1", "1..2", " ", "a ", " a", "a b", "1 ", " 1", "1 2",
        "A.a", "aB.a", "ab.A", "A1.a", "a1.A", "A.1", "aB.1", "A1.1", "1A.1", "0.A", "01.A", "012.A", "1A.a",
        "1a.A", "A.B.C.D.E", "AA.BB.CC.DD.EE", "a.B.c.d.e", "aa.bB.cc.dd.ee", "a@b", "a,b", "a_b", "a;b",
        "a:b", "a%b", "a?b", "a$b", "a.-b", "a-.b", "例子.com", repeated("a", 254),
    ])
    func dns1123SubdomainRefuses(_ value: String) {
        #expect(!Validate.dns1123Subdomain(value).isEmpty)
    }

    @Test func dns1123SubdomainWording() {
        #expect(
            Validate.dns1123Subdomain("a_b.com") == [
                "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
                    + "and must start and end with an alphanumeric character (e.g. 'example.com')"
            ])
        #expect(Validate.dns1123Subdomain(repeated("a", 254)) == ["must be no more than 253 characters"])
    }

    @Test(arguments: ["a", "ab", "abc", "a1", "a-1", "a--1--2--b", "web", "nginx-svc", repeated("a", 63)])
    func dns1035LabelAccepts(_ value: String) {
        #expect(Validate.dns1035Label(value) == [])
    }

    @Test(arguments: [
        "", "1web", "0", "01", "1a", "1-a", "A", "Web", "a-", "-a", "a.b", "a_b", "web svc", repeated("a", 64),
    ])
    func dns1035LabelRefuses(_ value: String) {
        #expect(!Validate.dns1035Label(value).isEmpty)
    }

    @Test(arguments: ["web", "shop-api", "1st", "a", repeated("a", 253)])
    func routeNameAccepts(_ value: String) {
        #expect(Validate.routeName(value) == [])
    }

    @Test(arguments: ["", "web.v1", "Web", "-web", "web-", "web_1", "web 1", repeated("a", 254)])
    func routeNameRefuses(_ value: String) {
        #expect(!Validate.routeName(value).isEmpty)
    }

    @Test(arguments: [
        "simple", "now-with-dashes", "1-starts-with-num", "1234", "simple/simple", "now-with-dashes/simple",
        "now-with-dashes/now-with-dashes", "now.with.dots/simple", "now-with.dashes-and.dots/simple",
        "1-num.2-num/3-num", "1234/5678", "1.2.3.4/5678", "Uppercase_Is_OK_123", "example.com/Uppercase_Is_OK_123",
        "requests.storage-foo", repeated("a", 63), repeated("a", 253) + "/" + repeated("b", 63),
        "kubesphere.io/alias-name",
    ])
    func qualifiedNameAccepts(_ value: String) {
        #expect(Validate.qualifiedName(value) == [])
    }

    @Test(arguments: [
        "", "nospecialchars%^=@", "cantendwithadash-", "-cantstartwithadash-", "only/one/slash",
        "Example.com/abc", "example_com/abc", "example.com/", "/simple", repeated("a", 64),
        repeated("a", 254) + "/abc", "a b", "a\nb", "ключ",
    ])
    func qualifiedNameRefuses(_ value: String) {
        #expect(!Validate.qualifiedName(value).isEmpty)
    }

    @Test func qualifiedNameWording() {
        #expect(Validate.qualifiedName("example.com/") == ["name part must be non-empty"])
        #expect(Validate.qualifiedName("/abc") == ["prefix part must be non-empty"])
        #expect(Validate.qualifiedName(repeated("a", 64)) == ["name part must be no more than 63 characters"])
        #expect(Validate.qualifiedName("Example.com/abc").first?.hasPrefix("prefix part a lowercase RFC 1123") == true)
    }

    @Test(arguments: ["", "simple", "now-with-dashes", "1-starts-with-num", "end-with-num-1", "1234", "A_b.C", repeated("a", 63)])
    func labelValueAccepts(_ value: String) {
        #expect(Validate.labelValue(value) == [])
    }

    @Test(arguments: ["nospecialchars%^=@", "Tama-nui-te-rā.is.Māori.sun", "\\backslashes\\are\\bad", "-starts-with-dash",
        "ends-with-dash-", ".starts.with.dot", "ends.with.dot.", "a b", repeated("a", 64)])
    func labelValueRefuses(_ value: String) {
        #expect(!Validate.labelValue(value).isEmpty)
    }

    @Test(arguments: ["good", "good-key", "good_key", "good.key", "KEY_NAME", ".dotfile", "proxy-body-size", "a..b"])
    func configKeyAccepts(_ value: String) {
        #expect(Validate.configKey(value) == [])
    }

    @Test(arguments: [("", 1), (".", 1), ("..", 1), ("..a", 1), ("a b", 1), ("a/b", 1), ("a:b", 1), (repeated("a", 254), 1)])
    func configKeyRefuses(_ value: String, _ count: Int) {
        #expect(Validate.configKey(value).count == count)
    }
}
