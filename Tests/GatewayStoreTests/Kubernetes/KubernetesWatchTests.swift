import Foundation
import TestSupport
import GatewayKit
import GatewayStore
import Testing

@Suite("Kubernetes store: changes() follows watches")
struct KubernetesWatchTests {
    /// Namespaces, nodes, services, endpointslices, TLS secrets, ingresses, gateways, eips.
    static let watchedKinds = 8

    @Test("a change made directly on the server shows up, and load() then reads the watches' cache")
    func directChange() async throws {
        let fixture = try await KubeFixture.start()
        defer { Task { await fixture.stop() } }
        let (counter, synced) = try await Self.follow(fixture)
        defer { counter.stop() }
        fixture.cluster.modify(resource("Ingress"), namespace: "demo", name: "demo") { value in
            value.set(["metadata", "annotations", "kubesphere.io/alias-name"], .string("changed elsewhere"))
        }
        #expect(await eventually(3) { counter.count > synced })
        // The event was applied to the cache: the load makes no request at all.
        let requests = fixture.cluster.requests.count
        #expect(try await fixture.store.load().route(project: "demo", name: "demo")?.alias == "changed elsewhere")
        #expect(fixture.cluster.requests.count == requests)
        // A deletion is applied too, and the store's own write shows at once.
        _ = fixture.cluster.delete(resource("Ingress"), namespace: "demo", name: "demo")
        #expect(await eventuallyAsync(3) { (try? await fixture.store.load()).map { $0.route(project: "demo", name: "demo") == nil } ?? false })
        var route = try #require(try await fixture.store.load().route(project: "shop", name: "storefront"))
        route.alias = "written by kgate"
        _ = try await fixture.store.updateRoute(route)
        #expect(try await fixture.store.load().route(project: "shop", name: "storefront")?.alias == "written by kgate")
    }

    @Test("after each event (an Ingress changed, added, broken, deleted; a gateway's Service changed), load() from the watches equals a fresh store's")
    func eventsEqualFreshLoad() async throws {
        let fixture = try await KubeFixture.start()
        defer { Task { await fixture.stop() } }
        let (counter, _) = try await Self.follow(fixture)
        defer { counter.stop() }
        let fresh = try KubernetesStore.open(
            kubeconfig: try fixture.server.kubeconfig(token: KubeFixture.token, cluster: fixture.server.authority), context: nil,
            environment: [:])
        let changes: [(String, () -> Void)] = [
            ("an Ingress changed", {
                fixture.cluster.modify(resource("Ingress"), namespace: "demo", name: "demo") { value in
                    value.set(["metadata", "annotations", "kubesphere.io/alias-name"], .string("changed elsewhere"))
                }
            }),
            ("an Ingress added", {
                var route = Route(metadata: ObjectMeta(name: "added", namespace: "shop"), rules: [RouteRule(host: "added.example.com", paths: [RoutePath(path: "/", pathType: .prefix, backend: RouteBackend(service: "storefront", port: 80))])])
                route.metadata.resourceVersion = nil
                _ = try? fixture.cluster.seed(.route(route))
            }),
            ("an Ingress broken", {
                fixture.cluster.modify(resource("Ingress"), namespace: "shop", name: "added") { value in
                    value.set(["spec", "rules"], .string("not a list"))
                }
            }),
            ("a gateway's Service given another node port", {
                fixture.cluster.modify(resource("Service"), namespace: Gateway.defaultNamespace, name: Gateway.name(project: "shop")) { value in
                    guard case .list(var ports)? = value["spec"]?["ports"], !ports.isEmpty else { return }
                    ports[0].set(["nodePort"], .int(31999))
                    value.set(["spec", "ports"], .list(ports))
                }
            }),
            ("an Ingress deleted", { _ = fixture.cluster.delete(resource("Ingress"), namespace: "demo", name: "demo") }),
        ]
        for (what, change) in changes {
            let before = counter.count
            change()
            #expect(await eventually(3) { counter.count > before }, "no change seen after \(what)")
            let expected = try await fresh.load()
            #expect(await eventuallyAsync(3) { (try? await fixture.store.load()) == expected }, "after \(what), load() differs from a fresh store's")
        }
        let last = try await fixture.store.load()
        #expect(last.problems.map(\.source) == ["Ingress shop/added"])
        let shop = try #require(last.gateway(project: "shop"))
        #expect([shop.httpNodePort, shop.httpsNodePort].contains(31999) && last.route(project: "demo", name: "demo") == nil)
    }

    @Test("settings written through the store are what the next load shows, with the watches running")
    func settingsWrite() async throws {
        let fixture = try await KubeFixture.start()
        defer { Task { await fixture.stop() } }
        let (counter, _) = try await Self.follow(fixture)
        defer { counter.stop() }
        var settings = try await fixture.store.load().settings
        settings.autoDomainBase = "apps.example.net"
        _ = try await fixture.store.apply([.settings(settings)])
        #expect(try await fixture.store.load().settings.autoDomainBase == "apps.example.net")
    }

    @Test("secrets are watched through the TLS field selector only")
    func selectorApplies() async throws {
        let fixture = try await KubeFixture.start()
        defer { Task { await fixture.stop() } }
        let (counter, synced) = try await Self.follow(fixture)
        defer { counter.stop() }
        let opaque = ManifestValue.map([
            ManifestField("apiVersion", .string("v1")), ManifestField("kind", .string("Secret")),
            ManifestField("metadata", .map([ManifestField("name", .string("token"))])), ManifestField("type", .string("Opaque")),
        ])
        // Another client stores an Opaque Secret; kgate's watch does not ask for those.
        _ = fixture.cluster.createLocked(resource("Secret"), namespace: "demo", body: opaque)
        #expect(await eventually(0.5) { counter.count > synced } == false)
        fixture.cluster.modify(resource("Node"), namespace: "", name: "node2") { value in
            value.set(["metadata", "labels", "zone"], .string("b"))
        }
        #expect(await eventually(3) { counter.count > synced })
    }

    @Test("closed watches resume from the last version, without a list; one whose version is gone (410) relists")
    func reconnectAndRelist() async throws {
        // Short backoffs: with client-go's (0.8 s doubling, each up to twice as long) the
        // retries after two drops and a 410 could outlast the waits below on a loaded machine.
        let fixture = try await KubeFixture.start(watches: WatchPolicy(initialBackoff: .milliseconds(50), maximumBackoff: .milliseconds(200)))
        defer { Task { await fixture.stop() } }
        let (counter, synced) = try await Self.follow(fixture)
        defer { counter.stop() }
        fixture.cluster.modify(resource("Node"), namespace: "", name: "node1") { _ in }
        #expect(await eventually(3) { counter.count == synced + 1 })
        let lists = Self.lists(fixture)
        fixture.cluster.dropWatches()
        #expect(await eventually { fixture.cluster.watcherCount == Self.watchedKinds })
        #expect(Self.lists(fixture) == lists, "a closed watch was listed again instead of resumed")
        // The node watch saw the latest version; the others still stand at the list's,
        // which the compaction forgets: they are refused with 410 and list again.
        fixture.cluster.compact()
        fixture.cluster.dropWatches()
        #expect(await eventually { counter.count > synced + 1 && fixture.cluster.watcherCount == Self.watchedKinds })
        #expect(await eventually { Self.lists(fixture) == lists + Self.watchedKinds - 1 }, "lists: \(Self.lists(fixture) - lists)")
        let before = counter.count
        fixture.cluster.modify(resource("Ingress"), namespace: "demo", name: "demo") { _ in }
        #expect(await eventually(3) { counter.count > before })
    }

    @Test("a bookmark moves every watch to the current version: after a compaction they resume, not relist")
    func bookmarks() async throws {
        let fixture = try await KubeFixture.start()
        defer { Task { await fixture.stop() } }
        let (counter, synced) = try await Self.follow(fixture)
        defer { counter.stop() }
        fixture.cluster.modify(resource("Node"), namespace: "", name: "node1") { _ in }
        #expect(await eventually(3) { counter.count == synced + 1 })
        let lists = Self.lists(fixture)
        // Without the bookmark, every kind but nodes would stand at its list's version,
        // which the compaction forgets (410, relist). The bookmark precedes the end of each
        // stream, so it is read before the watch is resumed.
        fixture.cluster.bookmark()
        fixture.cluster.compact()
        fixture.cluster.dropWatches()
        #expect(await eventually { fixture.cluster.watcherCount == Self.watchedKinds })
        #expect(Self.lists(fixture) == lists && counter.count == synced + 1)
    }

    @Test("each watch asks for timeoutSeconds; the server ending it is resumed without a list")
    func watchTimeout() async throws {
        let fixture = try await KubeFixture.start(watches: WatchPolicy(watchSeconds: 1...1))
        defer { Task { await fixture.stop() } }
        let (counter, synced) = try await Self.follow(fixture)
        defer { counter.stop() }
        #expect(fixture.cluster.requests.filter { $0.query["watch"] == "1" }.allSatisfy { $0.query["timeoutSeconds"] == "1" })
        let lists = Self.lists(fixture)
        let watches = Self.watches(fixture)
        #expect(await eventually(10) { Self.watches(fixture) >= watches + 2 * Self.watchedKinds })
        #expect(Self.lists(fixture) == lists && counter.count == synced)
        fixture.cluster.modify(resource("Ingress"), namespace: "demo", name: "demo") { _ in }
        #expect(await eventually(5) { counter.count > synced })
    }

    @Test("a silent (half-open) watch is dropped at the read timeout, reported, and opened again")
    func halfOpen() async throws {
        // As by default, the read timeout is longer than the server's watch time: only a
        // connection gone silent reaches it.
        let policy = WatchPolicy(
            watchSeconds: 1...1, readTimeout: .milliseconds(1500), initialBackoff: .milliseconds(20), maximumBackoff: .milliseconds(50))
        let fixture = try await KubeFixture.start(watches: policy)
        defer { Task { await fixture.stop() } }
        fixture.cluster.silentWatches = true
        let counter = ChangeCounter(fixture.store.changes())
        defer { counter.stop() }
        // Shown from the third failure in a row on (a first one may be a stale pooled connection).
        #expect(await eventually { Self.watches(fixture) >= 4 * Self.watchedKinds })
        let silent = try await fixture.store.load()
        let warnings = silent.warnings.joined(separator: "\n")
        #expect(warnings.contains("watch of ingresses.networking.k8s.io: not following changes"), "\(warnings)")
        #expect(silent.problems.isEmpty, "a watch failure is a warning, not a broken manifest: \(silent.problems)")
        // Back to normal: the warnings go, and changes flow again.
        fixture.cluster.silentWatches = false
        #expect(await eventually { fixture.cluster.watcherCount == Self.watchedKinds })
        #expect(await eventuallyAsync { (try? await fixture.store.load().warnings.isEmpty) ?? false })
    }

    @Test("a 403 on one watch is a warning of load() and the change stream, and clears when allowed again")
    func forbiddenWatch() async throws {
        let policy = WatchPolicy(initialBackoff: .milliseconds(50), maximumBackoff: .milliseconds(200))
        let fixture = try await KubeFixture.start(watches: policy) { $0.forbidden = [["watch", "secrets"]] }
        defer { Task { await fixture.stop() } }
        let counter = ChangeCounter(fixture.store.changes())
        defer { counter.stop() }
        #expect(await eventually { counter.count > 0 && fixture.cluster.watcherCount == Self.watchedKinds - 1 })
        // The secrets watch is refused after its list: wait for the refusal to be reported.
        #expect(await eventuallyAsync { (try? await fixture.store.load().warnings.isEmpty) == false })
        let inventory = try await fixture.store.load()
        let warning = try #require(inventory.warnings.first { $0.hasPrefix("watch of secrets: not following changes") })
        #expect(warning.contains("may not watch secrets"), "\(warning)")
        #expect(inventory.problems.isEmpty, "a refused watch is a warning, not a broken manifest: \(inventory.problems)")
        #expect(inventory.gateway(project: "shop") != nil, "the other kinds still load")
        fixture.cluster.forbidden = []
        #expect(await eventually { fixture.cluster.watcherCount == Self.watchedKinds })
        #expect(await eventuallyAsync { (try? await fixture.store.load().warnings.isEmpty) ?? false })
    }

    // MARK: Helpers

    /// Starts following the store's changes and waits until every kind is watched and
    /// the first sync was announced; returns the count at that point.
    static func follow(_ fixture: KubeFixture) async throws -> (ChangeCounter, Int) {
        let counter = ChangeCounter(fixture.store.changes())
        let ready = await eventually { fixture.cluster.watcherCount == watchedKinds && counter.count == 1 }
        #expect(ready, "watchers: \(fixture.cluster.watcherCount), changes: \(counter.count)")
        return (counter, counter.count)
    }

    static func lists(_ fixture: KubeFixture) -> Int {
        fixture.cluster.requests.filter { $0.query["watch"] == nil && $0.query["limit"] != nil }.count
    }

    static func watches(_ fixture: KubeFixture) -> Int {
        fixture.cluster.requests.filter { $0.query["watch"] == "1" }.count
    }
}

/// Counts what a `changes()` stream yields, from one task that reads it for the test's
/// whole length (an AsyncStream ends when a reader is cancelled).
final class ChangeCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    private var task: Task<Void, Never>?

    init(_ stream: AsyncStream<Void>) {
        task = Task { [weak self] in
            for await _ in stream { self?.increment() }
        }
    }

    var count: Int { lock.withLock { value } }

    func stop() { task?.cancel() }

    private func increment() { lock.withLock { value += 1 } }
}
