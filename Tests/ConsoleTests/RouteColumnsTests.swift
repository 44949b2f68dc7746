import GatewayKit
import Terminal
import Testing
import TestSupport

@testable import Console

/// The routes table sizes its columns from the content and the width.
@Suite struct RouteColumnsTests {
    static func routesText(columns: Int, routes: [Route] = ConsoleFixtures.demoRoutes) -> String {
        var console = ConsoleDriver(inventory: ConsoleFixtures.inventory(routes: routes), size: Size(columns: columns, rows: 24))
        console.openProject("demo")
        console.press(.character("r"))
        return console.text
    }

    @Test func at80ColumnsEveryURLKeepsItsPortAndPath() {
        let text = RouteColumnsTests.routesText(columns: 80)
        for suffix in [":30798/v1", ":30798/"] { #expect(text.contains(suffix), "\(suffix)\n\(text)") }
        let rows = text.split(separator: "\n").filter { $0.contains("nginx-auto") }
        #expect(rows.first?.contains(":30798/") == true, "\(text)")
    }

    @Test func wideTerminalsShowHostsAndURLsWhole() {
        let text = RouteColumnsTests.routesText(columns: 140)
        #expect(text.contains("web.demo.192.168.0.2.nip.io "))
        #expect(text.contains("http://web.demo.192.168.0.2.nip.io:30798/"))
        #expect(!text.contains("…"))
    }

    @Test func aLongHostIsCutInTheMiddleAndShownWholeInTheDetailPane() {
        let host = "a-very-long-service-name.team-with-a-long-name.apps.example.com"
        let text = RouteColumnsTests.routesText(columns: 80, routes: [ConsoleFixtures.route("long", host: host)])
        let row = text.split(separator: "\n").first { $0.contains(" long ") } ?? ""
        #expect(row.contains("…"))
        #expect(row.contains(".com:30798/"), "\(row)")
        #expect(row.contains("http://a-very"), "\(row)")
        #expect(text.contains("http://\(host):30798/"), "the detail pane shows the whole URL\n\(text)")
    }

    @Test(arguments: [
        ("http://web.demo.192.168.0.2.nip.io:30798/", 30, "http://web.demo….nip.io:30798/"),
        ("https://x.io:31279/a", 40, "https://x.io:31279/a"),
        ("http://web.demo.192.168.0.2.nip.io:30798/a/very/long/path/indeed", 30, "http://web.demo.192.168.0.2.n…"),
    ])
    func urlsLoseTheMiddleOfTheHostFirst(_ url: String, _ width: Int, _ expected: String) {
        let fitted = url.fittedURL(to: width, ellipsis: "…")
        #expect(fitted == expected)
        #expect(fitted.terminalWidth <= width)
    }

    @Test func columnsNeverExceedTheWidth() {
        for width in [0, 1, 10, 40, 78, 120] {
            let sizing = RouteColumns(natural: [11, 27, 14, 41], width: width)
            #expect(sizing.widths.reduce(0, +) + 3 <= max(3, width), "\(width): \(sizing.widths)")
        }
    }
}
