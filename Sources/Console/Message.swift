import GatewayKit
import Terminal

/// Everything that can happen to the console: keys and resizes from the terminal, store
/// results and store changes. `update` turns each into a new state and effects.
public enum Message: Sendable {
    case key(Key)
    case resize(Size)
    case loaded(Result<Inventory, StoreError>)
    /// The store's objects may have changed (this process or another): load again.
    case storeChanged
    case gatewaySaved(Result<GatewayChange, StoreError>)
    case gatewayDeleted(project: String, Result<Void, StoreError>)
    case routeSaved(Result<Route, StoreError>)
    case routeDeleted(project: String, name: String, Result<Void, StoreError>)
    /// Stale auto-generated hosts rewritten: how many routes were updated.
    case hostsRegenerated(Result<Int, StoreError>)
    /// A standing notice from the store, shown in the status row while no message is
    /// (`waiting for the credential plugin…`); nil clears it.
    case notice(String?)
    /// A file written (`w` in Migration): its path, and why it was not when it was not.
    case fileSaved(path: String, failure: String?)
    /// What an activity subscription brought (the gateway's health, logs, traffic, a last change).
    case activity(ActivityUpdate)
}

/// Work `update` asks for; the run loop performs it outside `update` and feeds the
/// result back as a `Message`.
public enum Effect: Hashable, Sendable {
    case load
    case setGateway(GatewayRequest)
    case deleteGateway(project: String)
    /// KubeSphere's "upgrade" of a legacy router to a Gateway CR (3.2+ clusters).
    case upgradeGateway(project: String)
    case createRoute(Route)
    case updateRoute(Route)
    case deleteRoute(project: String, name: String)
    /// Updates routes whose auto-generated hosts no longer match the gateway (kubesphere#4903).
    case regenerateHosts([Route])
    /// Writes `text` to a new file at `path` (never over an existing one).
    case saveFile(path: String, text: String)
    case quit(status: Int32)
}
