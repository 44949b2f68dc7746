import Foundation
import GatewayKit
import Testing
import TestSupport

@testable import GatewayStore

#if canImport(Glibc)
    import Glibc
#endif

/// While a watcher runs, a read looks at the files it reported only, and patches what it
/// assembled for their objects (issue 15: an inotify event for one file costs work for that
/// object). Whatever changes, a patched read says what a full read of the files says.
@Suite("Workspace reads follow changed files", .serialized)
struct WorkspaceFollowTests {
    let workspace: DemoWorkspaceFixture
    var root: String { workspace.root }

    init() throws { workspace = try DemoWorkspaceFixture("follow") }

    /// What a store that never read this workspace reads: every file, no index.
    func fullRead() -> WorkspaceReader.Snapshot {
        try? FileManager.default.removeItem(atPath: "\(root)/\(WorkspaceIndex.fileName)")
        return WorkspaceReader(layout: WorkspaceLayout(root: root), writesIndex: false).read()
    }

    func write(_ text: String, to relative: String) throws {
        let path = "\(root)/\(relative)"
        try FileManager.default.createDirectory(atPath: Path.folder(of: path), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    func text(_ relative: String) throws -> String { try String(contentsOfFile: "\(root)/\(relative)", encoding: .utf8) }

    func route(_ name: String, host: String, namespace: String = "demo") -> String {
        ManifestRenderer.yaml([
            .route(
                Route(
                    metadata: ObjectMeta(name: name, namespace: namespace),
                    rules: [RouteRule(host: host, paths: [RoutePath(path: "/", pathType: .prefix, backend: RouteBackend(service: "web", port: 8080))])]))
        ])
    }

    /// Creates `name` in `demo`, which a file written behind the store holds already: the
    /// create must be refused as existing.
    func expectCreateRefused(_ name: String, in store: WorkspaceStore, _ context: String = "") async {
        let route = Route(
            metadata: ObjectMeta(name: name, namespace: "demo"),
            rules: [RouteRule(host: "h.example.com", paths: [RoutePath(backend: RouteBackend(service: "web", port: 8080))])])
        do {
            _ = try await store.createRoute(route)
            Issue.record("\(context)a route that exists on disk was created again")
        } catch {
            guard case .alreadyExists = error else {
                Issue.record("\(context)refused for another reason: \(error)")
                return
            }
        }
    }

    @Test("a route changed, added and removed by hand is seen by the next load, which examines only those files")
    func followsFiles() async throws {
        let store = workspace.store
        let counter = ChangeCounter(store.changes())
        defer { counter.stop() }
        let before = try await store.load()
        let total = WorkspaceFileScan.scan(root: root).files.count
        #expect(store.reader.examinedByLastRead == total, "the first load after the watch started scans everything")

        try write(try text("demo/ingress-demo.yaml").replacingOccurrences(of: "demo.kubesphere.io", with: "changed.example.com"), to: "demo/ingress-demo.yaml")
        try write(route("added", host: "added.example.com"), to: "demo/ingress-added.yaml")
        #expect(unlink("\(root)/shop/ingress-status.yaml") == 0)
        let seen = await eventuallyAsync {
            guard let inventory = try? await store.load() else { return false }
            return inventory.route(project: "demo", name: "demo")?.rules.first?.host == "changed.example.com"
                && inventory.route(project: "demo", name: "added") != nil
                && inventory.route(project: "shop", name: "status") == nil
        }
        #expect(seen)
        #expect(store.reader.examinedByLastRead < total)
        let loaded = try await store.load()
        #expect(loaded != before)
        #expect(loaded == fullRead().inventory)
    }

    @Test("a folder created with a manifest in it is seen (a folder event makes the next read scan everything)")
    func followsNewFolders() async throws {
        let store = workspace.store
        let counter = ChangeCounter(store.changes())
        defer { counter.stop() }
        _ = try await store.load()
        try write(ManifestRenderer.yaml([.project(Project(name: "fresh"))]), to: "_cluster/namespace-fresh.yaml")
        try write(route("first", host: "first.example.com", namespace: "fresh"), to: "fresh/ingress-first.yaml")
        let seen = await eventuallyAsync { (try? await store.load())?.route(project: "fresh", name: "first") != nil }
        #expect(seen)
        #expect(try await store.load() == fullRead().inventory)
    }

    /// Each step changes files behind a reader that follows a (simulated) watcher; after
    /// each, its patched read must be a full read's, field by field.
    @Test("after every kind of change, a patched read is what a full read says")
    func patchedEqualsFull() throws {
        let reader = WorkspaceReader(layout: WorkspaceLayout(root: root), writesIndex: false)
        reader.watchStarted()
        _ = reader.read()
        let badHost = try text("demo/ingress-demo.yaml").replacingOccurrences(of: "demo.kubesphere.io", with: "Not A Host!")
        let steps: [(String, [String], () throws -> Void)] = [
            ("a route's host changed", ["demo/ingress-demo.yaml"], {
                try write(try text("demo/ingress-demo.yaml").replacingOccurrences(of: "demo.kubesphere.io", with: "x.example.com"), to: "demo/ingress-demo.yaml")
            }),
            ("a route added", ["demo/ingress-b.yaml"], { try write(route("b", host: "b.example.com"), to: "demo/ingress-b.yaml") }),
            ("the same route defined again, in a file that sorts first", ["demo/aaa.yaml"], {
                try write(route("b", host: "other.example.com"), to: "demo/aaa.yaml")
            }),
            ("the first definition removed", ["demo/aaa.yaml"], { _ = unlink("\(root)/demo/aaa.yaml") }),
            ("the same route defined again, in a file that sorts last", ["demo/zzz.yaml"], {
                try write(route("b", host: "other.example.com"), to: "demo/zzz.yaml")
            }),
            ("the first of two definitions removed", ["demo/ingress-b.yaml"], { _ = unlink("\(root)/demo/ingress-b.yaml") }),
            ("a route made invalid", ["demo/ingress-demo.yaml"], { try write(badHost, to: "demo/ingress-demo.yaml") }),
            ("a valid route of that name in another file", ["demo/ingress-again.yaml"], {
                try write(route("demo", host: "again.example.com"), to: "demo/ingress-again.yaml")
            }),
            ("the invalid one fixed", ["demo/ingress-demo.yaml"], {
                try write(route("demo", host: "fixed.example.com"), to: "demo/ingress-demo.yaml")
            }),
            ("a file that does not parse", ["demo/ingress-broken.yaml"], { try write("kind: [unclosed\n", to: "demo/ingress-broken.yaml") }),
            ("two objects in one file", ["demo/pair.yaml"], {
                try write(route("p1", host: "p1.example.com") + "---\n" + route("p2", host: "p2.example.com"), to: "demo/pair.yaml")
            }),
            ("a Service added", ["demo/service-extra.yaml"], {
                try write(
                    ManifestRenderer.yaml([.service(BackendService(metadata: ObjectMeta(name: "extra", namespace: "demo"), ports: [ServicePort(name: "http", port: 80)]))]),
                    to: "demo/service-extra.yaml")
            }),
            ("a Service removed", ["demo/service-nginx.yaml"], { _ = unlink("\(root)/demo/service-nginx.yaml") }),
            ("the settings changed", [WorkspaceLayout.settingsFile], {
                try write(ManifestRenderer.yaml([.settings(WorkspaceSettings(autoDomainBase: "sslip.io"))]), to: WorkspaceLayout.settingsFile)
            }),
            ("a route with a host under the new base", ["demo/ingress-c.yaml"], { try write(route("c", host: "c.example.com"), to: "demo/ingress-c.yaml") }),
            ("a file reported that did not change", ["demo/ingress-c.yaml"], {}),
            ("a file reported that never existed", ["demo/ingress-never.yaml"], {}),
        ]
        for (name, touched, change) in steps {
            try change()
            reader.note(.files(Set(touched.map { "\(root)/\($0)" })))
            let patched = reader.read()
            #expect(reader.examinedByLastRead == touched.count, "\(name)")
            let full = fullRead()
            #expect(patched.inventory == full.inventory, "\(name)")
            #expect(patched.sources == full.sources, "\(name)")
            #expect(patched.objectCounts == full.objectCounts, "\(name)")
            #expect(patched.brokenFiles == full.brokenFiles, "\(name)")
            #expect(patched.objects == full.objects, "\(name)")
            #expect(patched.inventory.problems == full.inventory.problems, "\(name)")
        }
    }

    @Test("a write whose watcher caught up reads only what it reported, and still sees a route another process just wrote")
    func writesFollowACaughtUpWatcher() async throws {
        let store = workspace.store
        let counter = ChangeCounter(store.changes())
        defer { counter.stop() }
        _ = try await store.load()
        let total = WorkspaceFileScan.scan(root: root).files.count
        // Written by "another process" right before the create, with no time for the watcher
        // to report it: the create must wait for that report rather than miss the file.
        for round in 0..<20 {
            let name = "behind-\(round)"
            try write(route(name, host: "first.example.com"), to: "demo/ingress-\(name).yaml")
            await expectCreateRefused(name, in: store, "round \(round): ")
            #expect(store.reader.examinedByLastRead < total, "round \(round): the write looked at every file")
        }
        _ = try await store.createRoute(
            Route(
                metadata: ObjectMeta(name: "fresh", namespace: "demo"),
                rules: [RouteRule(host: "fresh.example.com", paths: [RoutePath(backend: RouteBackend(service: "web", port: 8080))])]))
        #expect(store.reader.examinedByLastRead < total)
        #expect(try await store.load() == fullRead().inventory)
    }

    @Test("a write under the lock reads every file when its watcher cannot tell it caught up")
    func writesScanEverything() async throws {
        let store = workspace.store
        let watch = store.reader.watchStarted()
        defer { store.reader.watchStopped(watch) }
        _ = try await store.load()
        // Changed behind the store with no event noted: a load may not see it yet, but a
        // write must (it must not create what is there already).
        try write(route("hidden", host: "hidden.example.com"), to: "demo/ingress-hidden.yaml")
        await expectCreateRefused("hidden", in: store)
        #expect(try await store.load().route(project: "demo", name: "hidden") != nil)
    }
}
