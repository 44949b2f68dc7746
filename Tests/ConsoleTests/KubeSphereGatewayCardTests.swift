import GatewayKit
import Terminal
import Testing
import TestSupport

@testable import Console

/// The gateway card on a KubeSphere cluster (issue 10): a failed Helm release, a legacy
/// router to upgrade (and its key), and the cluster gateway serving a project without one.
@Suite struct KubeSphereGatewayCardTests {
    @Test func aFailedHelmReleaseIsShownFailedWithItsMessage() {
        var failed = ConsoleFixtures.demoGateway
        failed.controllerState = .failed(reason: "InstallError: invalid ownership metadata")
        var console = ConsoleDriver(inventory: ConsoleFixtures.inventory(gateways: [failed, ConsoleFixtures.rocketGateway]))
        console.openProject("demo")
        #expect(console.text.contains("Failed"))
        #expect(console.text.contains("InstallError: invalid ownership metadata"))
        #expect(!console.text.contains("http://139.198.0.20:30798"), "no URL while the release failed")
    }

    @Test func aCRWaitingForItsServiceSaysSo() {
        var waiting = Gateway(project: "demo", resourceVersion: "8")
        waiting.controllerState = .waitingForService
        var console = ConsoleDriver(inventory: ConsoleFixtures.inventory(gateways: [waiting]))
        console.openProject("demo")
        #expect(console.text.contains("Pending"))
        #expect(console.text.contains("waiting for the gateway's Service"))
    }

    @Test func aLegacyRouterOffersUpgradeBehindAConfirmation() {
        var legacy = ConsoleFixtures.demoGateway
        legacy.controllerState = .legacyNeedsUpgrade
        var console = ConsoleDriver(inventory: ConsoleFixtures.inventory(gateways: [legacy]))
        console.openProject("demo")
        #expect(console.text.contains("Legacy"))
        #expect(console.text.contains("legacy gateway — upgrade"))
        #expect(console.press(.character("U")).isEmpty)
        #expect(console.press(.character("y")) == [.upgradeGateway(project: "demo")])
    }

    @Test func theUpgradeKeyIsOnlyForALegacyRouter() {
        var console = ConsoleDriver()
        console.openProject("demo")
        console.press(.character("U"))
        #expect(console.press(.character("y")).isEmpty)
    }

    @Test func theClusterGatewayIsShownAsWhatServesAProjectWithoutOne() {
        var cluster = ConsoleFixtures.demoGateway
        cluster.project = Gateway.clusterGatewayProject
        var console = ConsoleDriver(inventory: ConsoleFixtures.inventory(gateways: [cluster]))
        console.openProject("empty")
        #expect(console.text.contains("Cluster Gateway"))
        #expect(console.text.contains("kubesphere-router-kubesphere-system"))
        #expect(console.text.contains("http:30798; https:31279"))
        #expect(!console.text.contains("Gateway Not Set"))
    }
}
