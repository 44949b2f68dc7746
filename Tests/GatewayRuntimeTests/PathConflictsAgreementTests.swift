import GatewayKit
import Testing

@testable import GatewayRuntime

/// The views' `PathConflicts` and the local gateway's plan decide the same: every path the
/// plan notes as already served by another route is one the views show as not served, by
/// the same route, and no other.
@Suite("Path conflicts agree with the nginx plan")
struct PathConflictsAgreementTests {
    static let paths = ["/", "/a", "/a/", "/a//", "/b", ""]
    static let hosts = ["a.example.com", "b.example.com", ""]
    static let stamps: [String?] = ["2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z", nil]

    static func randomRoutes(using generator: inout some RandomNumberGenerator) -> [Route] {
        (0..<Int.random(in: 2...6, using: &generator)).map { index in
            let rules = (0..<Int.random(in: 1...2, using: &generator)).map { _ in
                RouteRule(
                    host: hosts.randomElement(using: &generator)!,
                    paths: (0..<Int.random(in: 1...3, using: &generator)).map { _ in
                        RoutePath(
                            path: paths.randomElement(using: &generator)!, pathType: PathType.allCases.randomElement(using: &generator)!,
                            backend: RouteBackend(service: "site", port: 80))
                    })
            }
            // Names in random order against their timestamps, so that ties are broken by name.
            let name = "r\(Int.random(in: 0..<1000, using: &generator))-\(index)"
            let className: String? = Int.random(in: 0..<8, using: &generator) == 0 ? "traefik" : nil
            return Route(
                metadata: ObjectMeta(name: name, namespace: "web", creationTimestamp: stamps.randomElement(using: &generator)!),
                ingressClassName: className, rules: rules)
        }
    }

    @Test("random projects of two to six routes: the same losers, and the same winners, in 300 draws")
    func agreeOnRandomRoutes() throws {
        var generator = SystemRandomNumberGenerator()
        let note = /^route web\/(\S+): location .* is already served by route web\/(\S+)$/
        var conflictsSeen = 0
        for _ in 0..<300 {
            let routes = Self.randomRoutes(using: &generator)
            var inventory = SampleInventory.make()
            inventory.routes = routes
            let plan = try NginxPlan.make(projects: ["web"], inventory: inventory)
            let planned = plan.notes.compactMap { try? note.wholeMatch(in: $0) }.map { "\($0.1) → \($0.2)" }.sorted()
            let conflicts = PathConflicts.find(routes: routes)
            let viewed = routes.flatMap { route in
                route.rules.enumerated().flatMap { ruleIndex, rule in
                    rule.paths.indices.compactMap { pathIndex in
                        conflicts.winner(of: .init(route: route.name, rule: ruleIndex, path: pathIndex)).map { "\(route.name) → \($0)" }
                    }
                }
            }.sorted()
            #expect(viewed == planned, "routes: \(routes.map { "\($0.name) \($0.metadata.creationTimestamp ?? "-") \($0.rules)" })")
            conflictsSeen += planned.count
        }
        // The draws made conflicts to agree on, not only their absence.
        #expect(conflictsSeen > 100)
    }
}
