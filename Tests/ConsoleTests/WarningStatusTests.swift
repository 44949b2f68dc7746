import Foundation
import GatewayKit
import Testing
import TestSupport

@testable import Console

/// A store's warnings (a watch refused with 403, a kind the user may not list) are on the
/// status row whenever no message or notice takes it, so that a view that stopped
/// following the cluster is never silent.
@Suite struct WarningStatusTests {
    static func inventory(warnings: [String]) -> Inventory {
        var inventory = ConsoleFixtures.inventory()
        inventory.warnings = warnings
        return inventory
    }

    @Test func theFirstWarningIsOnTheStatusRowWithTheCountOfTheOthers() {
        let console = ConsoleDriver(inventory: Self.inventory(warnings: [
            "watch of secrets: not following changes: user may not watch secrets",
            "nodes: not shown: user may not list nodes",
        ]))
        let statusRow = console.text.split(separator: "\n", omittingEmptySubsequences: false)[Layout(size: console.size).statusRow]
        #expect(statusRow.contains("watch of secrets: not following changes"), "\(console.text)")
        #expect(statusRow.contains("1 of 2: watch of secrets"), "\(console.text)")
        #expect(console.text.contains("2 warnings"), "the header counts them too")
    }

    @Test func aNoticeTakesTheRowAndTheWarningComesBackAfterIt() {
        var console = ConsoleDriver(inventory: Self.inventory(warnings: ["watch of ingresses.networking.k8s.io: not following changes: 401"]))
        console.send(.notice("waiting for credential plugin kubelogin…"))
        #expect(console.text.contains("waiting for credential plugin"))
        #expect(!console.text.contains("not following changes"))
        console.send(.notice(nil))
        #expect(console.text.contains("watch of ingresses.networking.k8s.io: not following changes"))
    }

    @Test func noWarningsLeaveTheStatusRowEmpty() {
        let console = ConsoleDriver(inventory: Self.inventory(warnings: []))
        let statusRow = console.text.split(separator: "\n", omittingEmptySubsequences: false)[Layout(size: console.size).statusRow]
        #expect(statusRow.trimmingCharacters(in: .whitespaces).isEmpty, "\(statusRow)")
    }
}
