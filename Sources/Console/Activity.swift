import Foundation
import GatewayKit

/// A standing piece of work the console wants while a screen or section is shown: the
/// gateway's health polled, its logs followed, its traffic polled, an object's last change
/// read. The state says which it wants (`activitySubscriptions`); the run loop starts what
/// is wanted and cancels what no longer is, so leaving a section or a screen stops its
/// sources whichever key left it.
public enum ActivitySubscription: Hashable, Sendable {
    /// `health(project:)`, every `ActivityTiming.healthInterval`.
    case health(project: String)
    /// `logs(project:tail:since:follow: true)`, the lines relayed in batches.
    case logs(project: String)
    /// `traffic(project:window:)`, every `ActivityTiming.trafficInterval`.
    case traffic(project: String)
    /// The object's last change, read once per resourceVersion.
    case lastChange(reference: String, version: String)
}

/// What a subscription brought, posted to the loop with the subscription and its token
/// (a message from a subscription since cancelled is dropped by the loop).
public struct ActivityUpdate: Sendable {
    public var subscription: ActivitySubscription
    /// Which start of the subscription posted it.
    public var token: Int
    public var payload: ActivityPayload

    public init(subscription: ActivitySubscription, token: Int, payload: ActivityPayload) {
        self.subscription = subscription
        self.token = token
        self.payload = payload
    }
}

public enum ActivityPayload: Sendable {
    /// The health, and when it was read (pod ages are counted from it).
    case health(Result<GatewayHealth, StoreError>, at: Date)
    /// Log events in the order written; `ended` once the stream finished.
    case logs([GatewayLogEvent], ended: Bool)
    case traffic(Result<TrafficReport, StoreError>)
    case lastChange(ObjectChange?)
}

/// How often sources are asked, and how the logs are relayed.
enum ActivityTiming {
    static let healthInterval = Duration.seconds(2)
    static let trafficInterval = Duration.seconds(1)
    /// The window of the Monitoring table's figures.
    static let trafficWindow = Duration.seconds(60)
    /// Log lines reach the loop at most this often, as one batch: a frame per batch, not per line.
    static let logBatchInterval = Duration.milliseconds(50)
    /// Lines asked for when the Logs section opens.
    static let logTail = 1000
}

extension ConsoleState {
    /// The subscriptions the screen on top wants now. Pure: the loop compares it with what
    /// runs after every update.
    public var activitySubscriptions: Set<ActivitySubscription> {
        var wanted: Set<ActivitySubscription> = []
        if let detail = stack.last as? GatewayDetailScreen {
            if hasActivitySource {
                switch detail.section {
                case .pods: wanted.insert(.health(project: detail.project))
                case .logs: wanted.insert(.logs(project: detail.project))
                case .monitoring: wanted.insert(.traffic(project: detail.project))
                case .overview, .yaml: break
                }
            }
            if detail.section == .overview, let gateway = catalog.gateway(project: detail.project) {
                wantLastChange(of: .gateway(gateway), into: &wanted)
            }
        } else if let routes = stack.last as? RoutesScreen, let route = routes.selectedRoute {
            wantLastChange(of: .route(route), into: &wanted)
        }
        return wanted
    }

    private func wantLastChange(of object: KubeObject, into wanted: inout Set<ActivitySubscription>) {
        guard hasChangeHistory else { return }
        let version = object.resourceVersion ?? ""
        if lastChanges[object.reference]?.version != version {
            wanted.insert(.lastChange(reference: object.reference, version: version))
        }
    }

    /// The last change of an object as read for its current version; nil while unread.
    func knownChange(of object: KubeObject) -> KnownChange? {
        guard let known = lastChanges[object.reference], known.version == (object.resourceVersion ?? "") else { return nil }
        return known
    }

    /// `… by … (route edit)`, `none recorded`, or nil while unread.
    func lastChangeText(of object: KubeObject) -> String? {
        knownChange(of: object).map { known in known.change.map(LastChangeText.describe) ?? "none recorded" }
    }

    mutating func applyActivity(_ update: ActivityUpdate) -> [Effect] {
        switch (update.subscription, update.payload) {
        case (.lastChange(let reference, let version), .lastChange(let change)):
            lastChanges[reference] = KnownChange(version: version, change: change)
            // The Overview's lines are built ahead: build them again with the change in.
            refreshScreens { screen, state in
                if var detail = screen as? GatewayDetailScreen {
                    detail.refreshOverview(state)
                    screen = detail
                }
            }
        case (.health(let project), _), (.logs(let project), _), (.traffic(let project), _):
            let theme = self.theme
            updateScreen(GatewayDetailScreen.self) { detail in
                guard detail.project == project else { return }
                detail.take(update.payload, theme: theme)
            }
        default:
            break
        }
        return []
    }
}

/// An object's last change as read for one of its versions (nil change: none recorded).
struct KnownChange: Hashable, Sendable {
    var version: String
    var change: ObjectChange?
}
