import GatewayKit
import Terminal
import Testing

@testable import Console

/// The editor's live YAML preview, read with PgDn without losing the field being edited.
@Suite("Route editor previews")
struct RouteEditorPreviewTests {
    @Test("the YAML of the route as typed follows the form, and PgDn scrolls to it keeping the focus")
    func yamlPreview() {
        var state = ConsoleState(options: ConsoleOptions(initialProject: "demo"))
        _ = update(&state, .resize(Size(columns: 80, rows: 24)))
        _ = update(&state, .loaded(.success(Inventory(
            projects: [Project(name: "demo")],
            services: [BackendService(metadata: ObjectMeta(name: "web", namespace: "demo"), ports: [ServicePort(name: "http", port: 80)])]))))
        _ = update(&state, .key(.character("r")))
        _ = update(&state, .key(.character("n")))
        for character in "shop" { _ = update(&state, .key(.character(character))) }
        let focus = state.editor?.focus
        _ = update(&state, .key(.pageDown))
        _ = update(&state, .key(.pageDown))
        let screen = view(state, size: Size(columns: 80, rows: 24)).text
        #expect(screen.contains("kind: Ingress"))
        #expect(screen.contains("name: shop"))
        #expect(state.editor?.focus == focus)
        _ = update(&state, .key(.character("s")))
        #expect(state.editor?.draft.name.text == "shops")
    }
}
