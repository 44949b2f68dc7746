import ChildProcess
import Foundation
import GatewayKit
import TestSupport
import Testing

@testable import GatewayRuntime

/// The curl lines `serve` prints do what they say when pasted into a shell, whatever the
/// host or path holds.
struct ServedURLQuotingTests {
    @Test(arguments: [
        ("http://127.0.0.1:30798/", "http://127.0.0.1:30798/"),
        ("Host: a.example.com", "'Host: a.example.com'"),
        ("/it's", "'/it'\\''s'"),
        ("", "''"),
        ("$(touch x)", "'$(touch x)'"),
        ("a b;c&d|e*f?g", "'a b;c&d|e*f?g'"),
    ])
    func quotesWhatAShellWouldRead(word: String, quoted: String) {
        #expect(ShellWord.quote(word) == quoted)
    }

    @Test func aPathThatNeedsQuotingReachesCurlAsOneWord() throws {
        let path = "/it's (new)/a b?c#d/$HOME/*"
        let plan = NginxPlan(
            listenAddress: "127.0.0.1",
            sites: [
                NginxSite(
                    project: "web", httpPort: 30798, httpsPort: 31279, sslRedirect: false, bodySize: nil,
                    servers: [
                        NginxServer(
                            host: "*.apps.example.com", tls: SecretReference(namespace: "web", name: "tls"), isTLSHost: true,
                            locations: [NginxLocation(match: .prefix(path), target: .upstream("web.site.80"))])
                    ],
                    defaultLocations: [])
            ],
            upstreams: [], secrets: [], notes: [])
        let urls = plan.servedURLs
        try #require(urls.count == 2)
        let encoded = "/it's%20(new)/a%20b%3Fc%23d/$HOME/*"
        #expect(ShellWords.split(urls[0].hint) == ["curl", "-H", "Host: www.apps.example.com", "http://127.0.0.1:30798\(encoded)"])
        #expect(
            ShellWords.split(urls[1].hint) == [
                "curl", "-k", "--resolve", "www.apps.example.com:31279:127.0.0.1", "https://www.apps.example.com:31279\(encoded)",
            ])
    }

    @Test func plainHintsStayPlain() {
        let plan = try? NginxPlan.make(projects: ["web"], inventory: SampleInventory.make())
        let hints = plan?.servedURLs.map(\.hint) ?? []
        #expect(hints.contains("curl -H 'Host: www.apps.example.com' http://127.0.0.1:30080/"))
    }
}

/// What `/bin/sh` makes of a command line: the words `printf` receives.
enum ShellWords {
    static func split(_ line: String) -> [String]? {
        var command = ChildCommand("/bin/sh", ["-c", "printf '%s\\0' \(line)"], environment: ["HOME": "/nowhere", "PATH": "/usr/bin:/bin"])
        command.standardOutput = .capture
        command.standardError = .null
        guard let outcome = try? ChildProcess.run(command, timeout: 30), outcome.succeeded else { return nil }
        let data = outcome.standardOutput
        return data.split(separator: 0, omittingEmptySubsequences: false).dropLast().map { String(decoding: $0, as: UTF8.self) }
    }
}
