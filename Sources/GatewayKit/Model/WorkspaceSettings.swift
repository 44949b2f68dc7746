/// Settings of a workspace (or of kgate against a cluster): node-port range, the base of
/// auto-generated hosts, where gateways live and how they are stored.
///
/// In a workspace they are the ConfigMap `kgate-settings` (so that the folder stays
/// something `kubectl apply -R -f` accepts).
public struct WorkspaceSettings: Hashable, Sendable {
    public var nodePortRange: ClosedRange<Int>
    /// `nip.io` by default; `sslip.io` or an own wildcard DNS zone (kubesphere#2003).
    public var autoDomainBase: String
    public var gatewayNamespace: String
    public var gatewayFlavor: GatewayFlavor

    public init(
        nodePortRange: ClosedRange<Int> = 30000...32767, autoDomainBase: String = "nip.io",
        gatewayNamespace: String = Gateway.defaultNamespace, gatewayFlavor: GatewayFlavor = .gatewayCRD
    ) {
        self.nodePortRange = nodePortRange
        self.autoDomainBase = autoDomainBase
        self.gatewayNamespace = gatewayNamespace
        self.gatewayFlavor = gatewayFlavor
    }

    public static let configMapName = "kgate-settings"
}
