import GatewayKit
import Testing

/// `Inventory.routesPassedValidation` lets nginx.conf's plan trust a workspace's routes;
/// it must never outlive a change to them, nor make two equal inventories differ.
@Suite struct ValidatedRoutesMarkTests {
    static let route = Route(
        metadata: ObjectMeta(name: "web", namespace: "demo"),
        rules: [RouteRule(host: "web.example.com", paths: [RoutePath(path: "/", pathType: .prefix, backend: RouteBackend(service: "web", port: 80))])])

    @Test func anyChangeToTheRoutesClearsIt() {
        var inventory = Inventory(routes: [Self.route])
        #expect(!inventory.routesPassedValidation)
        inventory.routesPassedValidation = true
        inventory.routes.append(Self.route)
        #expect(!inventory.routesPassedValidation)
        inventory.routesPassedValidation = true
        inventory.routes[0].rules[0].host = "Not A Host"
        #expect(!inventory.routesPassedValidation)
        inventory.routesPassedValidation = true
        inventory.routes = []
        #expect(!inventory.routesPassedValidation)
        // Other fields leave it alone.
        inventory.routesPassedValidation = true
        inventory.warnings.append("note")
        #expect(inventory.routesPassedValidation)
    }

    @Test func isNotPartOfTheValue() {
        let plain = Inventory(routes: [Self.route])
        var marked = plain
        marked.routesPassedValidation = true
        #expect(marked == plain)
        #expect(Set([marked, plain]).count == 1)
    }
}
