import GatewayKit
import Terminal
import Testing
import TestSupport

@testable import Console

/// Every screen as text at the design size and at degenerate sizes, with CJK and emoji in
/// the names (a wide character is never split, cut text ends in an ellipsis).
@Suite struct SnapshotTests {
    static let sizes = [Size(columns: 80, rows: 24), Size(columns: 40, rows: 12), Size(columns: 1, rows: 1)]

    /// The screens, each reached by keys from the project list.
    static let screens: [(name: String, options: ConsoleOptions, keys: @Sendable (inout ConsoleDriver) -> Void)] = [
        ("projects", ConsoleOptions(), { _ in }),
        ("access-nodeport", ConsoleOptions(), { $0.openProject("demo") }),
        ("access-not-set", ConsoleOptions(), { $0.openProject("empty") }),
        ("access-loadbalancer-pending", ConsoleOptions(), { $0.openProject("rocket") }),
        ("set-gateway-new", ConsoleOptions(), { $0.openProject("empty"); $0.press(.character("s")) }),
        (
            "set-gateway-loadbalancer-qingcloud", ConsoleOptions(),
            { $0.openProject("empty"); $0.press(.character("s"), .down, .tab, .right) }
        ),
        ("gateway-detail", ConsoleOptions(), { $0.openProject("demo"); $0.press(.character("g")) }),
        (
            "gateway-detail-pods", ConsoleOptions(),
            {
                $0.openGatewaySection("2")
                $0.deliver(.health(project: "demo"), .health(.success(ActivityFixtures.clusterHealth), at: ActivityFixtures.now))
            }
        ),
        (
            "gateway-detail-pods-local", ConsoleOptions(),
            {
                $0.openGatewaySection("2")
                $0.deliver(.health(project: "demo"), .health(.success(ActivityFixtures.localHealth), at: ActivityFixtures.now))
            }
        ),
        (
            "gateway-detail-logs-paused", ConsoleOptions(),
            {
                $0.openGatewaySection("3")
                $0.deliver(.logs(project: "demo"), .logs(ActivityFixtures.lines(0..<40), ended: false))
                $0.press(.character("k"))
                $0.deliver(.logs(project: "demo"), .logs(ActivityFixtures.lines(40..<43, source: "error"), ended: false))
            }
        ),
        (
            "gateway-detail-monitoring", ConsoleOptions(),
            {
                $0.openGatewaySection("4")
                for scale in [1, 3, 2, 4] {
                    $0.deliver(.traffic(project: "demo"), .traffic(.success(ActivityFixtures.traffic(scale: scale))))
                }
            }
        ),
        (
            "gateway-detail-monitoring-ascii", ConsoleOptions(ascii: true, monochrome: true),
            {
                $0.openGatewaySection("4")
                for scale in [1, 3, 2, 4] {
                    $0.deliver(.traffic(project: "demo"), .traffic(.success(ActivityFixtures.traffic(scale: scale))))
                }
            }
        ),
        ("gateway-detail-no-source", ConsoleOptions(), { $0.openGatewaySection("4", source: false) }),
        ("routes", ConsoleOptions(), { $0.openProject("demo"); $0.press(.character("r")) }),
        ("routes-filtered", ConsoleOptions(), { $0.openProject("demo"); $0.press(.character("r"), .character("/")); $0.type("api") }),
        ("route-editor-new", ConsoleOptions(), { $0.openProject("demo"); $0.press(.character("r"), .character("n")) }),
        (
            "route-editor-edit", ConsoleOptions(),
            { $0.openProject("demo"); $0.press(.character("r"), .down, .down, .enter) }
        ),
        (
            "route-editor-refused", ConsoleOptions(),
            { $0.openProject("empty"); $0.press(.character("r"), .character("n"), .ctrl("s")) }
        ),
        ("route-yaml", ConsoleOptions(), { $0.openProject("demo"); $0.press(.character("r"), .character("y")) }),
        ("help-routes", ConsoleOptions(), { $0.openProject("demo"); $0.press(.character("r"), .character("?")) }),
        ("confirm-delete-route", ConsoleOptions(), { $0.openProject("demo"); $0.press(.character("r"), .character("d")) }),
        ("access-read-only", ConsoleOptions(readOnly: true), { $0.openProject("empty") }),
        ("access-ascii", ConsoleOptions(ascii: true, monochrome: true), { $0.openProject("demo") }),
        ("routes-ascii", ConsoleOptions(ascii: true, monochrome: true), { $0.openProject("demo"); $0.press(.character("r")) }),
    ]

    @Test(arguments: 0..<screens.count)
    func screen(_ index: Int) {
        let (name, options, keys) = SnapshotTests.screens[index]
        for size in SnapshotTests.sizes {
            var driver = ConsoleDriver(options: options)
            keys(&driver)
            driver.resize(size)
            assertSnapshot(driver.screen, named: "\(name)-\(size.columns)x\(size.rows)")
        }
    }

    @Test func zeroByZeroDrawsNothing() {
        var driver = ConsoleDriver()
        driver.openProject("demo")
        driver.resize(Size(columns: 0, rows: 0))
        #expect(driver.text == "")
    }

    @Test func everySizeFromZeroToDesignDrawsWithoutCrashing() {
        for (name, options, keys) in SnapshotTests.screens {
            var driver = ConsoleDriver(options: options)
            keys(&driver)
            for columns in stride(from: 0, through: 82, by: 3) {
                for rows in [0, 1, 2, 9, 10, 11, 15, 16, 24] {
                    driver.resize(Size(columns: columns, rows: rows))
                    #expect(driver.screen.size == Size(columns: columns, rows: rows), "\(name)")
                }
            }
        }
    }
}
