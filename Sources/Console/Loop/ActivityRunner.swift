import Foundation
import GatewayKit

/// Runs the subscriptions the state wants (see `ActivitySubscription`) as tasks whose
/// results come back through the inbox, and cancels those it no longer wants: a stream
/// is dropped, a poll stops. Used from the loop thread only.
final class ActivityRunner {
    private let activity: (any GatewayActivitySource)?
    private let history: (any ChangeHistory)?
    private let inbox: Inbox
    private var running: [ActivitySubscription: (token: Int, task: Task<Void, Never>)] = [:]
    private var lastToken = 0

    init(activity: (any GatewayActivitySource)?, history: (any ChangeHistory)?, inbox: Inbox) {
        self.activity = activity
        self.history = history
        self.inbox = inbox
    }

    /// What runs now: for tests and the bench.
    var subscriptions: Set<ActivitySubscription> { Set(running.keys) }

    /// Whether an update comes from a subscription still running (not one since cancelled).
    func isCurrent(_ update: ActivityUpdate) -> Bool { running[update.subscription]?.token == update.token }

    /// Cancels what is no longer wanted, starts what is wanted and not running.
    func reconcile(_ wanted: Set<ActivitySubscription>) {
        for (subscription, run) in running where !wanted.contains(subscription) {
            run.task.cancel()
            running[subscription] = nil
        }
        for subscription in wanted where running[subscription] == nil {
            lastToken += 1
            if let task = start(subscription, token: lastToken) { running[subscription] = (lastToken, task) }
        }
    }

    func stopAll() { reconcile([]) }

    private func start(_ subscription: ActivitySubscription, token: Int) -> Task<Void, Never>? {
        let inbox = self.inbox
        let post: @Sendable (ActivityPayload) -> Void = { payload in
            inbox.post(.activity(ActivityUpdate(subscription: subscription, token: token, payload: payload)))
        }
        switch subscription {
        case .health(let project):
            guard let activity else { return nil }
            return Task {
                await ActivityRunner.poll(every: ActivityTiming.healthInterval) {
                    let result = await ActivityRunner.result { () async throws(StoreError) in try await activity.health(project: project) }
                    post(.health(result, at: Date()))
                }
            }
        case .traffic(let project):
            guard let activity else { return nil }
            return Task {
                await ActivityRunner.poll(every: ActivityTiming.trafficInterval) {
                    post(
                        .traffic(
                            await ActivityRunner.result { () async throws(StoreError) in
                                try await activity.traffic(project: project, window: ActivityTiming.trafficWindow)
                            }))
                }
            }
        case .logs(let project):
            guard let activity else { return nil }
            return Task {
                let stream = activity.logs(project: project, tail: ActivityTiming.logTail, since: nil, follow: true)
                await ActivityRunner.relay(stream, every: ActivityTiming.logBatchInterval, post: post)
            }
        case .lastChange(let reference, _):
            guard let history else { return nil }
            return Task { post(.lastChange(await history.lastChange(of: reference))) }
        }
    }

    /// Runs `body` now and every `interval` after, until cancelled.
    static func poll(every interval: Duration, _ body: () async -> Void) async {
        while !Task.isCancelled {
            await body()
            do { try await Task.sleep(for: interval) } catch { return }
        }
    }

    /// Relays a log stream in batches, at most one per `interval`: at a thousand lines a
    /// second the loop draws a frame per batch, not per line. Pending lines beyond a ring's
    /// worth are dropped oldest first (the Logs section keeps no more). Cancelling the task
    /// drops the stream, which tells the source to stop.
    static func relay(
        _ stream: AsyncStream<GatewayLogEvent>, every interval: Duration, post: @escaping @Sendable (ActivityPayload) -> Void
    ) async {
        let pending = PendingLogEvents(limit: GatewayLogsSection.capacity)
        let (signals, signal) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let reader = Task {
            for await event in stream {
                pending.append(event)
                signal.yield()
            }
            pending.finish()
            signal.finish()
        }
        for await _ in signals {
            let (events, ended) = pending.drain()
            if !events.isEmpty || ended { post(.logs(events, ended: ended)) }
            if ended { break }
            do { try await Task.sleep(for: interval) } catch { break }
        }
        // The stream finished: what came after the last batch, and its end.
        if !Task.isCancelled {
            let (events, ended) = pending.drain()
            if !events.isEmpty || ended { post(.logs(events, ended: ended)) }
        }
        reader.cancel()
    }

    static func result<T>(_ body: () async throws(StoreError) -> T) async -> Result<T, StoreError> {
        do throws(StoreError) {
            return .success(try await body())
        } catch {
            return .failure(error)
        }
    }
}

/// Log events between the stream's reader and the relay, bounded.
private final class PendingLogEvents: @unchecked Sendable {
    // The lock guards every field.
    private let lock = NSLock()
    private var events: [GatewayLogEvent] = []
    private var finished = false
    private var posted = false
    private let limit: Int

    init(limit: Int) { self.limit = limit }

    func append(_ event: GatewayLogEvent) {
        lock.withLock {
            events.append(event)
            if events.count > limit + limit / 2 { events.removeFirst(events.count - limit) }
        }
    }

    func finish() { lock.withLock { finished = true } }

    /// The events so far, and whether the stream has finished (said once).
    func drain() -> (events: [GatewayLogEvent], ended: Bool) {
        lock.withLock {
            let drained = events
            events = []
            let ended = finished && !posted
            if ended { posted = true }
            return (drained, ended)
        }
    }
}
