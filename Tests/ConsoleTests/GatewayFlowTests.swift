import GatewayKit
import Terminal
import Testing
import TestSupport

@testable import Console

/// Setting, editing and deleting a project's gateway from its Internet Access page.
@Suite struct GatewayFlowTests {
    @Test func settingANodePortGatewayTakesTwoKeys() {
        var console = ConsoleDriver()
        console.openProject("empty")
        #expect(console.text.contains("Gateway Not Set"))
        let effects = console.press(.character("s"), .enter)
        #expect(effects == [.setGateway(GatewayRequest(project: "empty", type: .nodePort, annotations: [:], governance: false))])
    }

    @Test func theCardShowsNodePortsAndURLsOnceSavedWithNoFurtherKey() {
        var console = ConsoleDriver()
        console.openProject("empty")
        console.press(.character("s"), .enter)
        var saved = Gateway(
            project: "empty",
            ports: [GatewayPort(name: "http", port: 80, nodePort: 30798), GatewayPort(name: "https", port: 443, nodePort: 31279)],
            resourceVersion: "1")
        saved.creationTimestamp = nil
        let effects = console.send(.gatewaySaved(.success(GatewayChange(gateway: saved, staleHosts: []))))
        #expect(effects == [.load])
        #expect(console.state.top == .internetAccess)
        #expect(console.text.contains("http:30798; https:31279"))
        #expect(console.text.contains("http://139.198.0.20:30798"))
        #expect(console.text.contains("https://139.198.0.20:31279"))
    }

    @Test func editingSendsTheCurrentTypeAndTheVersionEdited() {
        var console = ConsoleDriver()
        console.openProject("demo")
        let effects = console.press(.character("s"), .enter)
        #expect(effects == [.setGateway(GatewayRequest(project: "demo", type: .nodePort, annotations: [:], governance: false, expectedResourceVersion: "7"))])
    }

    @Test func theQingCloudPresetPrefillsTheServiceAnnotations() {
        var console = ConsoleDriver()
        console.openProject("empty")
        let effects = console.press(.character("s"), .down, .tab, .right, .enter)
        let expected = GatewayRequest(
            project: "empty", type: .loadBalancer,
            annotations: [
                "service.beta.kubernetes.io/qingcloud-load-balancer-eip-ids": "",
                "service.beta.kubernetes.io/qingcloud-load-balancer-type": "0",
            ], governance: false)
        #expect(effects == [.setGateway(expected)])
    }

    @Test func switchingPresetsReplacesOnlyThePresetAnnotations() {
        var form = SetGatewayScreen(project: "p", gateway: nil)
        form.type = .loadBalancer
        form.annotations = [AnnotationField(key: "team", value: "web")]
        form.applyPreset(LoadBalancerPreset.all.firstIndex { $0.name == "OpenELB" } ?? 0)
        form.applyPreset(LoadBalancerPreset.all.firstIndex { $0.name == "AWS" } ?? 0)
        #expect(form.request.annotations == ["team": "web", "service.beta.kubernetes.io/aws-load-balancer-type": "nlb"])
    }

    @Test func aConflictOnSaveOffersReloadAndKeepsTheChoices() {
        var console = ConsoleDriver()
        console.openProject("demo")
        console.press(.character("s"), .down, .tab, .character(" "))
        console.press(.enter)
        console.send(.gatewaySaved(.failure(.conflict(object: "Gateway demo", reason: "stale"))))
        #expect(console.state.top == .setGateway)
        #expect(console.text.contains("R reloads"))
        #expect(console.press(.character("R")) == [.load])
        var gateway = ConsoleFixtures.demoGateway
        gateway.resourceVersion = "8"
        console.send(.loaded(.success(ConsoleFixtures.inventory(gateways: [gateway, ConsoleFixtures.rocketGateway]))))
        let effects = console.press(.enter)
        guard case .setGateway(let request)? = effects.first else {
            Issue.record("no save: \(effects)")
            return
        }
        #expect(request.type == .loadBalancer)
        #expect(request.expectedResourceVersion == "8")
    }

    @Test func deletingTheGatewayAsksFirst() {
        var console = ConsoleDriver()
        console.openProject("demo")
        #expect(console.press(.character("D")).isEmpty)
        #expect(console.text.contains("Delete the gateway of demo?"))
        #expect(console.press(.character("n")).isEmpty)
        #expect(console.state.overlay == nil)
        console.press(.character("D"))
        #expect(console.press(.character("y")) == [.deleteGateway(project: "demo")])
    }

    @Test func staleAutoHostsAreReportedAndRegenerated() {
        var console = ConsoleDriver()
        console.openProject("demo")
        let stale = StaleHost(
            route: "nginx-auto", ruleIndex: 0, host: "web.demo.192.168.0.2.nip.io", replacement: "web.demo.139.198.0.20.nip.io")
        console.send(.gatewaySaved(.success(GatewayChange(gateway: ConsoleFixtures.demoGateway, staleHosts: [stale]))))
        #expect(console.text.contains("1 auto-generated host no longer matches the gateway"))
        let effects = console.press(.character("u"))
        guard case .regenerateHosts(let routes)? = effects.first else {
            Issue.record("no regeneration: \(effects)")
            return
        }
        #expect(routes.map(\.name) == ["nginx-auto"])
        #expect(routes.first?.rules.first?.host == "web.demo.139.198.0.20.nip.io")
    }

    @Test func readOnlyHidesAndRefusesWrites() {
        var console = ConsoleDriver(options: ConsoleOptions(readOnly: true))
        console.openProject("demo")
        #expect(!console.text.contains("edit gateway"))
        #expect(console.press(.character("s")).isEmpty)
        #expect(console.state.top == .internetAccess)
        #expect(console.text.contains("read-only"))
        #expect(console.press(.character("D")).isEmpty)
        #expect(console.state.overlay == nil)
        console.press(.character("r"))
        #expect(console.press(.character("n")).isEmpty)
        #expect(console.press(.character("d")).isEmpty)
        #expect(console.press(.enter).isEmpty)
        #expect(console.state.top == .routes)
        #expect(!console.text.contains("n new"))
    }

    @Test func projectOptionOpensInternetAccessDirectly() {
        let console = ConsoleDriver(options: ConsoleOptions(initialProject: "demo"))
        #expect(console.state.top == .internetAccess)
        #expect(console.text.contains("http:30798; https:31279"))
    }

    @Test func commandsJumpAndQuit() {
        var console = ConsoleDriver()
        console.press(.character(":"))
        console.type("routes")
        console.press(.enter)
        #expect(console.state.top == .routes)
        #expect(console.state.project == "demo")
        console.press(.character(":"))
        console.type("projects")
        console.press(.enter)
        #expect(console.state.top == .projects)
        console.press(.character(":"))
        console.type("q")
        #expect(console.press(.enter) == [.quit(status: 0)])
        #expect(console.press(.ctrl("c")) == [.quit(status: 0)])
        #expect(console.press(.character("q")) == [.quit(status: 0)])
    }

    @Test func helpListsTheKeysOfTheScreen() {
        var console = ConsoleDriver()
        console.openProject("demo")
        console.press(.character("?"))
        #expect(console.text.contains("Keys: Internet Access"))
        #expect(console.text.contains("delete"))
        console.press(.character("x"))
        #expect(console.state.overlay == nil)
    }
}
