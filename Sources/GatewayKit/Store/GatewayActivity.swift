import Foundation

/// The gateway at work, as the detail view's Pods, Logs and Monitoring sections and
/// `kgate gateway logs|traffic` show it: on a cluster, the controller's pods, events, logs
/// and Prometheus metrics; locally, the nginx that `kgate serve` runs and its logs.
/// Implementations are in `GatewayStore` (cluster) and `GatewayRuntime` (local gateway).
public protocol GatewayActivitySource: Sendable {
    /// The processes serving the project's gateway and the events of its objects. A part
    /// that cannot be read is left empty with its reason in `GatewayHealth.unavailable`.
    func health(project: String) async throws(StoreError) -> GatewayHealth

    /// The last `tail` lines (all when nil) written since `since` ago (any when nil), then,
    /// when `follow`, every new line as it is written. The stream ends when the source has
    /// nothing more, or with a `.failed` event; the consumer cancels it by dropping it.
    func logs(project: String, tail: Int?, since: Duration?, follow: Bool) -> AsyncStream<GatewayLogEvent>

    /// Requests per route path over the last `window`.
    func traffic(project: String, window: Duration) async throws(StoreError) -> TrafficReport
}

/// Who serves a project's gateway right now.
public struct GatewayHealth: Hashable, Sendable {
    /// The controller's pods (cluster); empty for the local gateway.
    public var pods: [GatewayPod]
    /// Kubernetes events of the gateway's objects (CR, Service, Deployment, pods, Helm release), newest last.
    public var events: [GatewayEvent]
    /// The local gateway's nginx (nil on a cluster).
    public var local: LocalGatewayProcesses?
    /// Parts that could not be read, each with its reason ("pods: forbidden: …").
    public var unavailable: [String]

    public init(
        pods: [GatewayPod] = [], events: [GatewayEvent] = [], local: LocalGatewayProcesses? = nil, unavailable: [String] = []
    ) {
        self.pods = pods
        self.events = events
        self.local = local
        self.unavailable = unavailable
    }
}

/// One gateway controller pod, as `kubectl get pods -o wide` shows it.
public struct GatewayPod: Hashable, Sendable {
    public var name: String
    public var readyContainers: Int
    public var containers: Int
    /// `Running`, `Pending`, `Failed`, …
    public var phase: String
    public var restarts: Int
    public var node: String?
    public var created: Date?
    /// Why a container is not ready (`CrashLoopBackOff: back-off 5m0s …`), nil when all are.
    public var failure: String?

    public init(
        name: String, readyContainers: Int, containers: Int, phase: String, restarts: Int, node: String? = nil,
        created: Date? = nil, failure: String? = nil
    ) {
        self.name = name
        self.readyContainers = readyContainers
        self.containers = containers
        self.phase = phase
        self.restarts = restarts
        self.node = node
        self.created = created
        self.failure = failure
    }
}

/// A Kubernetes event about one of the gateway's objects.
public struct GatewayEvent: Hashable, Sendable {
    public var time: Date?
    /// `Normal` or `Warning`.
    public var type: String
    public var reason: String
    /// `Pod/kubesphere-router-demo-5d…`, `Gateway/kubesphere-router-demo`.
    public var object: String
    public var message: String
    public var count: Int

    public init(time: Date?, type: String, reason: String, object: String, message: String, count: Int = 1) {
        self.time = time
        self.type = type
        self.reason = reason
        self.object = object
        self.message = message
        self.count = count
    }
}

/// The nginx `kgate serve` runs for a project.
public struct LocalGatewayProcesses: Hashable, Sendable {
    /// Whether a `kgate serve` serves the project now.
    public var serving: Bool
    public var masterPID: Int32?
    public var workerPIDs: [Int32]
    public var lastReload: Date?
    /// nginx's message when the last reload was refused (the previous config still serves).
    public var lastReloadError: String?

    public init(
        serving: Bool, masterPID: Int32? = nil, workerPIDs: [Int32] = [], lastReload: Date? = nil,
        lastReloadError: String? = nil
    ) {
        self.serving = serving
        self.masterPID = masterPID
        self.workerPIDs = workerPIDs
        self.lastReload = lastReload
        self.lastReloadError = lastReloadError
    }
}

/// What a log stream delivers.
public enum GatewayLogEvent: Hashable, Sendable {
    case line(GatewayLogLine)
    /// The source stopped, with the reason (shown in the Logs section; the rest keeps working).
    case failed(String)
}

/// One log line. `text` is as written; print it only through `TerminalText.escaped`.
public struct GatewayLogLine: Hashable, Sendable {
    /// The pod name on a cluster; `access` or `error` for the local gateway's nginx logs.
    public var source: String
    public var time: Date?
    public var text: String

    public init(source: String, time: Date? = nil, text: String) {
        self.source = source
        self.time = time
        self.text = text
    }
}

/// `kgate gateway traffic P -o json`: requests per route path over a window.
public struct TrafficReport: Hashable, Sendable, Codable {
    public var project: String
    public var windowSeconds: Int
    public var routes: [RouteTraffic]
    /// Requests no route claimed.
    public var unmatched: UnmatchedTraffic
    /// Why there are no figures (no monitoring on the cluster, `kgate serve` not running), nil when there are.
    public var unavailable: String?

    public init(
        project: String, windowSeconds: Int, routes: [RouteTraffic], unmatched: UnmatchedTraffic,
        unavailable: String? = nil
    ) {
        self.project = project
        self.windowSeconds = windowSeconds
        self.routes = routes
        self.unmatched = unmatched
        self.unavailable = unavailable
    }
}

/// The traffic of one route path (host + path).
public struct RouteTraffic: Hashable, Sendable, Codable {
    public var route: String
    public var host: String
    public var path: String
    public var requests: Int
    public var ratePerSecond: Double
    public var status: StatusClasses
    public var latencyMs: LatencyPercentiles

    public init(
        route: String, host: String, path: String, requests: Int, ratePerSecond: Double, status: StatusClasses,
        latencyMs: LatencyPercentiles
    ) {
        self.route = route
        self.host = host
        self.path = path
        self.requests = requests
        self.ratePerSecond = ratePerSecond
        self.status = status
        self.latencyMs = latencyMs
    }
}

public struct UnmatchedTraffic: Hashable, Sendable, Codable {
    public var requests: Int
    public var status: StatusClasses

    public init(requests: Int, status: StatusClasses) {
        self.requests = requests
        self.status = status
    }
}

/// Responses by status class; JSON keys `2xx`, `3xx`, `4xx`, `5xx`.
public struct StatusClasses: Hashable, Sendable, Codable {
    public var success: Int
    public var redirect: Int
    public var clientError: Int
    public var serverError: Int

    public init(success: Int = 0, redirect: Int = 0, clientError: Int = 0, serverError: Int = 0) {
        self.success = success
        self.redirect = redirect
        self.clientError = clientError
        self.serverError = serverError
    }

    enum CodingKeys: String, CodingKey {
        case success = "2xx"
        case redirect = "3xx"
        case clientError = "4xx"
        case serverError = "5xx"
    }
}

/// Latency percentiles in milliseconds; nil when there were no requests.
public struct LatencyPercentiles: Hashable, Sendable, Codable {
    public var p50: Double?
    public var p95: Double?
    public var p99: Double?

    public init(p50: Double? = nil, p95: Double? = nil, p99: Double? = nil) {
        self.p50 = p50
        self.p95 = p95
        self.p99 = p99
    }
}
