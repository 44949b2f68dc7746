import Foundation
import GatewayKit
import Terminal
import Testing
import TestSupport

@testable import Console

/// The Migration view: each route beside its HTTPRoutes, the notes, the YAML, the save.
@Suite struct MigrationScreenTests {
    /// The demo project with one more route whose annotation has no Gateway API equivalent.
    static func inventory() -> Inventory {
        var inventory = ConsoleFixtures.inventory()
        var route = ConsoleFixtures.demoRoutes[0]
        route.metadata.name = "zz-governed"
        route.metadata.annotations["nginx.ingress.kubernetes.io/service-upstream"] = "true"
        inventory.routes.append(route)
        return inventory
    }

    @Test func mOnInternetAccessShowsEachRouteBesideItsHTTPRoutesAndTheSelectedOnesNotes() {
        var console = ConsoleDriver(inventory: Self.inventory())
        console.openProject("demo")
        console.press(.character("m"))
        #expect(console.state.top == .migration)
        let set = GatewayAPIConversion.convert(Self.inventory(), project: "demo")
        let text = console.text
        #expect(text.contains("Gateway kubesphere-router-demo: "))
        for route in set.routes { #expect(text.contains(route.name)) }
        console.press(.end)
        #expect(console.text.contains("metadata.annotations[nginx.ingress.kubernetes.io/service-upstream]"))
    }

    @Test func storedHTTPRoutesAreMarkedBesideTheRenderedOnes() throws {
        var inventory = Self.inventory()
        let set = GatewayAPIConversion.convert(inventory, project: "demo")
        // The first Ingress is the selected one, whose HTTPRoutes the detail lists.
        let selected = try #require(inventory.routes(project: "demo").map(\.name).sorted().first)
        let first = try #require(set.routes.first { $0.ingress == selected })
        var changed = GatewayAPIRenderer.manifest(first)
        if case .map(var fields) = changed, let index = fields.firstIndex(where: { $0.key == "spec" }) {
            fields[index] = ManifestField("spec", .map([ManifestField("hostnames", .list([.string("other.example.com")]))]))
            changed = .map(fields)
        }
        for manifest in [GatewayAPIRenderer.manifest(first), changed] {
            guard case .success(.gatewayAPI(let object))? = ManifestParser.objectsOf(manifest).first else {
                Issue.record("not parsed")
                return
            }
            inventory.gatewayAPI = [object]
            var console = ConsoleDriver(inventory: inventory)
            console.openProject("demo")
            console.press(.character("m"))
            let text = console.text
            #expect(text.contains("2 notes, 1 stored"), "\(text)")
            #expect(text.contains(manifest == changed ? "(stored, differs)" : "(stored)"), "\(text)")
        }
    }

    @Test func aProjectWithoutGatewaySaysSoBesideEveryRoute() {
        var inventory = Self.inventory()
        inventory.gateways.removeAll { $0.project == "demo" }
        var console = ConsoleDriver(inventory: inventory)
        console.openProject("demo")
        console.press(.character("m"))
        #expect(console.text.contains("project demo has no gateway"))
    }

    @Test func yShowsTheYAMLOfTheWholeSet() {
        var console = ConsoleDriver(inventory: Self.inventory())
        console.openProject("demo")
        console.press(.character("m"), .character("y"))
        #expect(console.state.top == .yaml)
        #expect(console.text.contains("kind: Gateway"))
    }

    @Test func wAsksForTheSetToBeWrittenToANewFileAndSaysHowItWent() throws {
        var console = ConsoleDriver(inventory: Self.inventory())
        console.openProject("demo")
        let effects = console.press(.character("m"), .character("w"))
        let expected = GatewayAPIRenderer.yaml(GatewayAPIConversion.convert(Self.inventory(), project: "demo"))
        #expect(effects == [.saveFile(path: "demo-gateway-api.yaml", text: expected)])
        console.send(.fileSaved(path: "demo-gateway-api.yaml", failure: "it exists already; move it away first"))
        #expect(console.text.contains("demo-gateway-api.yaml not saved: it exists already"))
    }

    @Test func theSaveWritesANewFileAndNeverOverwritesOne() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kgate-migration-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("set.yaml").path
        #expect(NewFile.write("first\n", to: path) == nil)
        #expect(NewFile.write("second\n", to: path) == "it exists already; move it away first")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "first\n")
    }

    @Test func smallTerminalsDoNotCrash() {
        var console = ConsoleDriver(inventory: Self.inventory())
        console.openProject("demo")
        console.press(.character("m"))
        for size in [Size(columns: 40, rows: 12), Size(columns: 1, rows: 1), Size(columns: 80, rows: 24)] {
            console.resize(size)
            _ = console.text
        }
        #expect(console.state.top == .migration)
    }
}
