/// Who last changed an object, as the console shows it on the object's detail (issue 13):
/// the gateway detail's Overview and the selected route's summary. Implemented over the
/// audit log in `GatewayStore` (`AuditLogHistory`).
public protocol ChangeHistory: Sendable {
    /// The newest recorded change of the object `reference` names (`Ingress demo/web`,
    /// `Gateway kubesphere-controls-system/kubesphere-router-demo`), nil when none is recorded.
    func lastChange(of reference: String) async -> ObjectChange?
}

/// One recorded change: when, who, and what was done (`route edit`, `gateway set`).
public struct ObjectChange: Hashable, Sendable {
    /// As the audit log writes it (RFC 3339, UTC).
    public var time: String
    /// An SSH key's fingerprint and comment, or `local user NAME`.
    public var who: String
    public var action: String

    public init(time: String, who: String, action: String) {
        self.time = time
        self.who = who
        self.action = action
    }
}
