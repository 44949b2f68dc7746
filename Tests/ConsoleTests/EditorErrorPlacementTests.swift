import GatewayKit
import Testing
import TestSupport

@testable import Console

/// `Validate.route`'s field paths land beside the field that shows them.
@Suite struct EditorErrorPlacementTests {
    static var draft: RouteDraft {
        var console = ConsoleDriver()
        console.openProject("demo")
        console.press(.character("r"), .down, .down)  // demo-secure: https with a secret
        console.press(.enter)
        var draft = console.state.editor?.draft ?? RouteDraft(context: EditorContext(project: "demo", state: console.state))
        draft.annotations = [AnnotationField(key: "nginx.ingress.kubernetes.io/rewrite-target", value: "/")]
        return draft
    }

    @Test(arguments: [
        ("metadata.name", EditorField.name),
        ("metadata.annotations[kubesphere.io/alias-name]", .alias),
        ("metadata.annotations[kubesphere.io/description]", .description),
        ("metadata.annotations[nginx.ingress.kubernetes.io/rewrite-target]", .annotationKey(0)),
        ("spec.rules[0].host", .host(0)),
        ("spec.rules[0].http.paths[0].path", .path(0, 0)),
        ("spec.rules[0].http.paths[0].pathType", .pathType(0, 0)),
        ("spec.rules[0].http.paths[0].backend.service.name", .service(0, 0)),
        ("spec.rules[0].http.paths[0].backend.service.port.number", .port(0, 0)),
        ("spec.rules[0].http.paths[0].backend.service.port.name", .port(0, 0)),
        ("spec.tls[0].secretName", .secret(0)),
        ("spec.tls[0].hosts[0]", .host(0)),
    ])
    func placesEachPath(_ path: String, _ field: EditorField) {
        #expect(EditorErrors.field(for: FieldPath(path), draft: EditorErrorPlacementTests.draft) == field)
    }

    @Test func unplacedErrorsGoBesideSave() {
        let errors = EditorErrors([FieldError("metadata.labels[x]", "bad label")], draft: EditorErrorPlacementTests.draft)
        #expect(errors.general == ["metadata.labels[x]: bad label"])
    }

    @Test func aStoreRefusalShowsAtItsField() {
        var console = ConsoleDriver()
        console.openProject("demo")
        console.press(.character("r"), .enter)
        console.press(.ctrl("s"))
        console.send(.routeSaved(.failure(.invalid(object: "Ingress demo/api", errors: [FieldError("spec.rules[0].host", "must be a DNS name, not an IP address")]))))
        #expect(console.state.editor?.errors.byField[.host(0)] == ["must be a DNS name, not an IP address"])
        #expect(console.text.contains("must be a DNS name, not an IP address"))
    }
}
