import Foundation
import GatewayKit
import TestSupport

@testable import Console

/// Figures for the gateway detail's Pods, Logs and Monitoring sections.
enum ActivityFixtures {
    /// 2026-12-02T08:00:00Z: pod ages are counted from here.
    static let now = Date(timeIntervalSince1970: 1_796_198_400)

    static var clusterHealth: GatewayHealth {
        GatewayHealth(
            pods: [
                GatewayPod(
                    name: "kubesphere-router-demo-5d8f7c9b4-x2k8p", readyContainers: 1, containers: 1, phase: "Running", restarts: 0,
                    node: "node1", created: now.addingTimeInterval(-3 * 3600)),
                GatewayPod(
                    name: "kubesphere-router-demo-5d8f7c9b4-q7w9z", readyContainers: 0, containers: 1, phase: "Running", restarts: 7,
                    node: "node2", created: now.addingTimeInterval(-600),
                    failure: "CrashLoopBackOff: back-off 5m0s restarting failed container=controller"),
            ],
            events: [
                GatewayEvent(
                    time: now.addingTimeInterval(-120), type: "Warning", reason: "BackOff", object: "Pod/kubesphere-router-demo-5d8f7c9b4-q7w9z",
                    message: "Back-off restarting failed container", count: 12),
                GatewayEvent(
                    time: now.addingTimeInterval(-30), type: "Normal", reason: "Sync", object: "Ingress/demo", message: "Scheduled for sync"),
            ])
    }

    static var localHealth: GatewayHealth {
        GatewayHealth(
            local: LocalGatewayProcesses(
                serving: true, masterPID: 4242, workerPIDs: [4243, 4244], lastReload: now.addingTimeInterval(-90),
                lastReloadError: "nginx: [emerg] unknown directive \"proxy_pas\" in kgate.conf:12"))
    }

    static func traffic(scale: Int = 1, unavailable: String? = nil) -> TrafficReport {
        TrafficReport(
            project: "demo", windowSeconds: 60,
            routes: [
                RouteTraffic(
                    route: "demo", host: "demo.kubesphere.io", path: "/", requests: 600 * scale, ratePerSecond: 10 * Double(scale),
                    status: StatusClasses(success: 590 * scale, redirect: 4 * scale, clientError: 5 * scale, serverError: 1 * scale),
                    latencyMs: LatencyPercentiles(p50: 3.2, p95: 12, p99: 40 * Double(scale))),
                RouteTraffic(
                    route: "api", host: "api.demo.kubesphere.io", path: "/v1", requests: 120 * scale, ratePerSecond: 2 * Double(scale),
                    status: StatusClasses(success: 120 * scale), latencyMs: LatencyPercentiles(p50: 8, p95: 20, p99: 31)),
            ],
            unmatched: UnmatchedTraffic(requests: 6 * scale, status: StatusClasses(clientError: 6 * scale)), unavailable: unavailable)
    }

    static func line(_ text: String, source: String = "access") -> GatewayLogEvent {
        .line(GatewayLogLine(source: source, text: text))
    }

    static func lines(_ range: Range<Int>, source: String = "access") -> [GatewayLogEvent] {
        range.map { line("GET /item/\($0) HTTP/1.1 200", source: source) }
    }
}

extension ConsoleDriver {
    /// The demo project's gateway detail, with an activity source.
    static func gatewayDetail(options: ConsoleOptions = ConsoleOptions(), source: Bool = true) -> ConsoleDriver {
        var driver = ConsoleDriver(options: options)
        driver.state.hasActivitySource = source
        driver.openProject("demo")
        driver.press(.character("g"))
        return driver
    }

    /// The demo gateway's section with number `key` open, from the project list.
    mutating func openGatewaySection(_ key: Character, source: Bool = true) {
        state.hasActivitySource = source
        openProject("demo")
        press(.character("g"), .character(key))
    }

    /// A subscription's result, as the run loop would deliver it.
    @discardableResult
    mutating func deliver(_ subscription: ActivitySubscription, _ payload: ActivityPayload) -> [Effect] {
        send(.activity(ActivityUpdate(subscription: subscription, token: 1, payload: payload)))
    }

    var detail: GatewayDetailScreen? { state.screen(GatewayDetailScreen.self) }
}

/// An activity source the test drives: answers it holds, log lines it emits on demand,
/// and a record of what was asked and what was dropped.
final class FakeActivitySource: GatewayActivitySource, @unchecked Sendable {
    // The lock guards every field below.
    private let lock = NSLock()
    private var logStreams: [Int: AsyncStream<GatewayLogEvent>.Continuation] = [:]
    private var nextStream = 0
    private var trafficScale = 0
    private(set) var healthCalls = 0
    private(set) var healthCancellations = 0
    private(set) var droppedStreams = 0
    private var healthFailure: StoreError?
    /// While true, `health` waits until its task is cancelled (a source that hangs).
    private var healthHangs = false

    var openStreams: Int { lock.withLock { logStreams.count } }
    var trafficCalls: Int { lock.withLock { trafficScale } }
    var healthCallCount: Int { lock.withLock { healthCalls } }
    var cancelledHealthCalls: Int { lock.withLock { healthCancellations } }
    var dropped: Int { lock.withLock { droppedStreams } }

    func health(project: String) async throws(StoreError) -> GatewayHealth {
        let (hangs, failure) = lock.withLock {
            healthCalls += 1
            return (healthHangs, healthFailure)
        }
        if hangs {
            let (stream, continuation) = AsyncStream.makeStream(of: Void.self)
            await withTaskCancellationHandler {
                for await _ in stream {}
            } onCancel: {
                continuation.finish()
            }
            lock.withLock { healthCancellations += 1 }
        }
        if let failure { throw failure }
        return ActivityFixtures.clusterHealth
    }

    func logs(project: String, tail: Int?, since: Duration?, follow: Bool) -> AsyncStream<GatewayLogEvent> {
        AsyncStream(bufferingPolicy: .unbounded) { continuation in
            let id = lock.withLock {
                nextStream += 1
                logStreams[nextStream] = continuation
                return nextStream
            }
            continuation.onTermination = { [weak self] _ in
                guard let self else { return }
                lock.withLock {
                    logStreams[id] = nil
                    droppedStreams += 1
                }
            }
        }
    }

    func traffic(project: String, window: Duration) async throws(StoreError) -> TrafficReport {
        let scale = lock.withLock {
            trafficScale += 1
            return trafficScale
        }
        return ActivityFixtures.traffic(scale: scale)
    }

    /// Emits events on every open log stream.
    func emit(_ events: [GatewayLogEvent]) {
        for continuation in lock.withLock({ Array(logStreams.values) }) {
            for event in events { continuation.yield(event) }
        }
    }

    func setHealth(hangs: Bool, failure: StoreError? = nil) {
        lock.withLock {
            healthHangs = hangs
            healthFailure = failure
        }
    }
}

/// A change history that knows one change per object reference.
struct FakeChangeHistory: ChangeHistory {
    var changes: [String: ObjectChange]

    func lastChange(of reference: String) async -> ObjectChange? { changes[reference] }
}
