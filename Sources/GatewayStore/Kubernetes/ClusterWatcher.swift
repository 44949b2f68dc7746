import GatewayKit

/// Follows a cluster's changes for `KubernetesStore.changes()` as client-go's reflector
/// does, one reflector per listed kind: list (paged), then watch from the list's
/// resourceVersion; each event is applied to the `ClusterCache` and fires `changed`
/// (bookmarks only move the version). A watch the server ends (its `timeoutSeconds`) is
/// resumed from the last version seen; 410 Gone lists again; any other failure is
/// reported through the cache (so `load()` shows it) and retried after a backoff with
/// jitter, then listed again. It never stops until cancelled.
struct ClusterWatcher: Sendable {
    let reader: ClusterReader
    let cache: ClusterCache
    let policy: WatchPolicy

    /// Runs until cancelled, calling `changed` for every change.
    func run(changed: @escaping @Sendable () -> Void) async {
        var backoff = Backoff(policy)
        var plan: ClusterCache.Plan?
        while !Task.isCancelled, plan == nil {
            do {
                plan = try await reader.plan()
            } catch {
                await backoff.wait()
            }
        }
        guard let plan else { return }
        cache.start(plan)
        await withTaskGroup(of: Void.self) { group in
            for kind in plan.kinds {
                group.addTask { await follow(kind, changed: changed) }
            }
        }
    }

    private func follow(_ kind: ClusterReader.Listed, changed: @escaping @Sendable () -> Void) async {
        var backoff = Backoff(policy)
        // A pooled connection the server just closed fails at once; only a failure that
        // repeats is worth showing (client-go only logs them).
        var failures = 0
        var listedBefore = false
        // A refused watch stays shown across the relists that follow it, until a watch works.
        var watchRefused = false
        while !Task.isCancelled {
            let listed: (items: [ManifestValue], version: String?)
            do {
                listed = try await reader.listWithVersion(kind.resource, namespace: kind.namespace, query: kind.query)
            } catch {
                failures += 1
                if failures >= Self.failuresShown { report(kind, "\(error)", changed: changed) }
                await backoff.wait()
                continue
            }
            failures = 0
            if !watchRefused, cache.report(kind.resource, nil) { changed() }
            // The first lists fire once, when all are in; a relist may hide missed events.
            if cache.replace(kind.resource, items: listed.items) || listedBefore { changed() }
            listedBefore = true
            var version = listed.version ?? ""
            watching: while !Task.isCancelled {
                let stream = KindWatch(client: reader.client, cache: cache, kind: kind, policy: policy)
                switch await stream.run(from: version, clearsOnOpen: watchRefused, changed: changed) {
                case .closed(let last):
                    version = last
                    failures = 0
                    watchRefused = false
                    if cache.report(kind.resource, nil) { changed() }
                    backoff.reset()
                case .gone:
                    break watching
                case .refused(let reason):
                    // A refusal (401, 403) may be lifted; client-go lists again after a wait.
                    report(kind, reason, changed: changed)
                    watchRefused = true
                    await backoff.wait()
                    break watching
                case .interrupted(let reason, let last):
                    failures += 1
                    if failures >= Self.failuresShown { report(kind, reason, changed: changed) }
                    version = last
                    await backoff.wait()
                }
            }
        }
    }

    static let failuresShown = 3

    private func report(_ kind: ClusterReader.Listed, _ reason: String, changed: @Sendable () -> Void) {
        guard !Task.isCancelled else { return }  // the store's reader went away: nobody to tell
        if cache.report(kind.resource, reason) { changed() }
    }
}
