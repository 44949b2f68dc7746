import Foundation
import GatewayKit
import GatewayStore
import Testing

@Suite("Kubernetes store: changes() follows watches")
struct KubernetesWatchTests {
    /// Namespaces, nodes, services, endpointslices, TLS secrets, ingresses, gateways, eips.
    static let watchedKinds = 8

    @Test("a change made directly on the server shows up within a second")
    func directChange() async throws {
        let fixture = try await KubeFixture.start()
        defer { Task { await fixture.stop() } }
        let counter = ChangeCounter(fixture.store.changes())
        defer { counter.stop() }
        #expect(await eventually { fixture.cluster.watcherCount == Self.watchedKinds }, "watchers: \(fixture.cluster.watcherCount)")

        fixture.cluster.modify(resource("Ingress"), namespace: "demo", name: "demo") { value in
            value.set(["metadata", "annotations", "kubesphere.io/alias-name"], .string("changed elsewhere"))
        }
        #expect(await eventually(3) { counter.count > 0 })
        #expect(try await fixture.store.load().route(project: "demo", name: "demo")?.alias == "changed elsewhere")
    }

    @Test("secrets are watched through the TLS field selector only")
    func selectorApplies() async throws {
        let fixture = try await KubeFixture.start()
        defer { Task { await fixture.stop() } }
        let counter = ChangeCounter(fixture.store.changes())
        defer { counter.stop() }
        #expect(await eventually { fixture.cluster.watcherCount == Self.watchedKinds })
        let opaque = ManifestValue.map([
            ManifestField("apiVersion", .string("v1")), ManifestField("kind", .string("Secret")),
            ManifestField("metadata", .map([ManifestField("name", .string("token"))])), ManifestField("type", .string("Opaque")),
        ])
        // Another client stores an Opaque Secret; kgate's watch does not ask for those.
        _ = fixture.cluster.createLocked(resource("Secret"), namespace: "demo", body: opaque)
        #expect(await eventually(0.5) { counter.count > 0 } == false)
        fixture.cluster.modify(resource("Node"), namespace: "", name: "node2") { value in
            value.set(["metadata", "labels", "zone"], .string("b"))
        }
        #expect(await eventually(3) { counter.count > 0 })
    }

    @Test("closed watches resume; one whose version is gone (410) relists and reports a change")
    func reconnectAndRelist() async throws {
        let fixture = try await KubeFixture.start()
        defer { Task { await fixture.stop() } }
        let counter = ChangeCounter(fixture.store.changes())
        defer { counter.stop() }
        #expect(await eventually { fixture.cluster.watcherCount == Self.watchedKinds })
        fixture.cluster.modify(resource("Node"), namespace: "", name: "node1") { _ in }
        #expect(await eventually(3) { counter.count == 1 })
        // The node watch saw the latest version; the others still stand at the list's,
        // which the compaction forgets: they are refused with 410 and list again.
        fixture.cluster.compact()
        fixture.cluster.dropWatches()
        #expect(await eventually { counter.count > 1 && fixture.cluster.watcherCount == Self.watchedKinds })
        let before = counter.count
        fixture.cluster.modify(resource("Ingress"), namespace: "demo", name: "demo") { _ in }
        #expect(await eventually(3) { counter.count > before })
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
