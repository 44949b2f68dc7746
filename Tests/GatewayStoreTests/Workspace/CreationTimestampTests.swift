import Foundation
import GatewayKit
import GatewayStore
import Testing
import TestSupport

/// The workspace sets a route's creationTimestamp as the API server does, when it creates
/// the route, and keeps it: the oldest route serves a path two routes claim.
@Suite("Workspace creation timestamps")
struct CreationTimestampTests {
    let folder: TemporaryFolder
    let store: WorkspaceStore

    init() throws {
        folder = try TemporaryFolder("ws")
        store = WorkspaceStore(root: folder.path + "/ws")
        try store.initialize(demo: true)
    }

    static func route(_ name: String, path: String = "/", created: String? = nil) -> Route {
        Route(
            metadata: ObjectMeta(name: name, namespace: "demo", creationTimestamp: created),
            rules: [RouteRule(host: "demo.kubesphere.io", paths: [RoutePath(path: path, backend: RouteBackend(service: "nginx", port: 80))])])
    }

    static func isRFC3339(_ stamp: String?) -> Bool {
        guard let stamp else { return false }
        return ISO8601DateFormatter().date(from: stamp) != nil && stamp.hasSuffix("Z")
    }

    @Test("a created route is stamped, in its file too; the demo's routes were stamped when it was made")
    func createdRoutesAreStamped() async throws {
        let demo = try #require(try await store.load().route(project: "demo", name: "demo"))
        #expect(Self.isRFC3339(demo.metadata.creationTimestamp))
        let created = try await store.createRoute(Self.route("web", path: "/web"))
        let stamp = try #require(created.metadata.creationTimestamp)
        #expect(Self.isRFC3339(stamp))
        #expect(try #require(demo.metadata.creationTimestamp) <= stamp)
        #expect(folder.read("ws/demo/ingress-web.yaml")?.contains("creationTimestamp: \"\(stamp)\"") == true
            || folder.read("ws/demo/ingress-web.yaml")?.contains("creationTimestamp: \(stamp)") == true)
        #expect(try await store.load().route(project: "demo", name: "web")?.metadata.creationTimestamp == stamp)
    }

    @Test("an update keeps the stamp, whatever the update carries; re-applying the manifest without one changes nothing")
    func updatesKeepTheStamp() async throws {
        let created = try await store.createRoute(Self.route("web", path: "/web"))
        let stamp = try #require(created.metadata.creationTimestamp)
        var edited = Self.route("web", path: "/other", created: "1999-01-01T00:00:00Z")
        edited.metadata.resourceVersion = created.metadata.resourceVersion
        let updated = try await store.updateRoute(edited)
        #expect(updated.metadata.creationTimestamp == stamp)
        var unstamped = updated
        unstamped.metadata.creationTimestamp = nil
        unstamped.metadata.resourceVersion = nil
        let outcomes = try await store.apply([.route(unstamped)])
        #expect(outcomes.map(\.action) == [.unchanged])
        #expect(try await store.load().route(project: "demo", name: "web")?.metadata.creationTimestamp == stamp)
    }

    @Test("a manifest that gives its stamp keeps it when created (an export from a cluster)")
    func givenStampsAreKept() async throws {
        _ = try await store.apply([.route(Self.route("exported", path: "/exported", created: "2020-05-01T10:00:00Z"))])
        #expect(try await store.load().route(project: "demo", name: "exported")?.metadata.creationTimestamp == "2020-05-01T10:00:00Z")
    }

    @Test("a route created later loses a path an older one claims, though its name sorts first")
    func laterRoutesLose() async throws {
        _ = try await store.apply([.route(Self.route("zz-old", path: "/shared", created: "2020-05-01T10:00:00Z"))])
        _ = try await store.createRoute(Self.route("aa-new", path: "/shared"))
        let routes = try await store.load().routes(project: "demo")
        let conflicts = PathConflicts.find(routes: routes)
        #expect(conflicts.winner(of: .init(route: "aa-new", rule: 0, path: 0)) == "zz-old")
        #expect(conflicts.winner(of: .init(route: "zz-old", rule: 0, path: 0)) == nil)
    }
}
